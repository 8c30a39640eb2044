package parley.stt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import parley.audio.MuLaw;

/**
 * The sandbox recognizer's ear for one connection: finds speech in the audio by energy and answers with the
 * caller's scripted lines as Deepgram would answer, timed by the audio (the connection's clock starts at 0, as
 * Deepgram's does). Confined to one thread; every method returns the messages to send, in order.
 *
 * <p>A speech segment starts at the first 10 ms window louder than the request's speech level (150 RMS unless
 * it says otherwise, the level the offline voice's trimming uses) and ends once the silence after its last loud window reaches the request's endpointing,
 * but never less than {@value #MIN_GAP_MS} ms: the offline voice pauses up to about 350 ms at a comma, and a
 * line split in two would shift every later line (a caller's lines are seconds apart: the agent speaks between
 * them). Segments with less than {@value #MIN_SPEECH_MS} ms of speech
 * are clicks, not words. The i-th segment is the i-th line: while it grows, interim results show the words
 * whose estimated end has passed (spread over the line's length when the caller's side gave it, else at
 * {@value #NOMINAL_MS_PER_CHAR} ms a character, the offline voice's pace);
 * when it ends, the final result spreads the line's words over the segment in proportion to their length.
 * Speech after the last line is heard (SpeechStarted) but gives no results, except an empty one in answer
 * to {@code Finalize}.
 */
final class SandboxTranscriber {

    static final int MIN_GAP_MS = 700;
    static final int MIN_SPEECH_MS = 100;
    static final int NOMINAL_MS_PER_CHAR = 62;
    /** The pause at a comma, in characters of the nominal pace: about 300 ms. */
    private static final int PAUSE_CHARS = 5;
    /**
     * How much of a line's given length may be missing from its voiced stretch when it is over: the voice's
     * lead-in and tail (20 and 50 ms for the offline voice) and a soft last sound under the speech threshold.
     */
    private static final int KNOWN_LENGTH_SLACK_MS = 250;
    /** Deepgram sends interim results about as often as this; more would only flood the client. */
    static final int INTERIM_EVERY_MS = 250;
    private static final int WINDOW_MS = 10;
    private static final double CONFIDENCE = 0.99;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SandboxOptions options;
    private final List<SandboxOptions.ScriptedLine> lines;
    private final String requestId;
    private final String modelUuid;
    private final MessageDigest sha256;
    private final int rate;
    private final int window;
    private final long gapSamples;
    private final double speechEnergy;

    private int nextLine;
    private long samples;
    private double windowEnergy;
    private int windowFill;
    private int oddByte = -1;

    private boolean inSegment;
    private long segmentStart;
    private long lastVoiced;
    private int voicedWindows;
    private Line line;
    /** Words of the segment's line already given in a final result (a Finalize can split a line). */
    private int delivered;
    private long deliveredUpTo;
    private int shown;
    private long lastInterim;

    private long finalizedUpTo;
    private boolean utterancePending;
    private long lastWordEnd;

    SandboxTranscriber(SandboxOptions options, int firstLine, String requestId, String modelUuid) {
        this.options = options;
        this.lines = options.lines();
        this.nextLine = firstLine;
        this.requestId = requestId;
        this.modelUuid = modelUuid;
        this.rate = options.sampleRate();
        this.window = rate * WINDOW_MS / 1000;
        this.gapSamples = (long) Math.max(options.endpointingMs(), MIN_GAP_MS) * rate / 1000;
        this.speechEnergy = (double) options.speechRms() * options.speechRms() * window;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** How many of the call's lines have been given in full, across this and earlier connections. */
    int linesUsed() {
        return nextLine;
    }

    List<ObjectNode> audio(byte[] bytes) {
        sha256.update(bytes);
        List<ObjectNode> out = new ArrayList<>();
        if (options.bytesPerSample() == 1) {
            for (byte b : bytes) {
                sample(MuLaw.decode(b), out);
            }
        } else {
            for (byte b : bytes) {
                if (oddByte < 0) {
                    oddByte = b & 0xFF;
                } else {
                    sample((short) (oddByte | (b << 8)), out);
                    oddByte = -1;
                }
            }
        }
        return out;
    }

    private void sample(short pcm, List<ObjectNode> out) {
        windowEnergy += (double) pcm * pcm;
        samples++;
        if (++windowFill == window) {
            boolean voiced = windowEnergy > speechEnergy;
            windowEnergy = 0;
            windowFill = 0;
            endOfWindow(voiced, out);
        }
    }

    private void endOfWindow(boolean voiced, List<ObjectNode> out) {
        long windowStart = samples - window;
        if (voiced) {
            if (!inSegment) {
                startSegment(windowStart, out);
            }
            lastVoiced = samples;
            voicedWindows++;
            interim(out);
        } else if (inSegment && samples - lastVoiced >= gapSamples) {
            if (isSpeech() && line != null) {
                out.add(finalResult(false, options.endpointingMs() >= 0));
                lineDone();
            }
            inSegment = false;
        }
        if (!inSegment && utterancePending && options.utteranceEndMs() >= 0
                && samples - lastWordEnd >= (long) options.utteranceEndMs() * rate / 1000) {
            ObjectNode end = JSON.createObjectNode().put("type", "UtteranceEnd");
            end.putArray("channel").add(0).add(1);
            end.put("last_word_end", seconds(lastWordEnd));
            out.add(end);
            utterancePending = false;
        }
    }

    private void startSegment(long at, List<ObjectNode> out) {
        inSegment = true;
        segmentStart = at;
        deliveredUpTo = at;
        voicedWindows = 0;
        delivered = 0;
        shown = 0;
        lastInterim = at;
        line = nextLine < lines.size() ? new Line(lines.get(nextLine), options.formatted()) : null;
        if (options.vadEvents()) {
            ObjectNode started = JSON.createObjectNode().put("type", "SpeechStarted");
            started.putArray("channel").add(0);
            started.put("timestamp", seconds(at));
            out.add(started);
        }
    }

    private boolean isSpeech() {
        return voicedWindows * WINDOW_MS >= MIN_SPEECH_MS || shown > 0 || delivered > 0;
    }

    /**
     * Whether the line has had time to be said, so a Finalize now ends it rather than splitting it: its audio
     * is nearly over, when the caller's side gave its length; else most of its nominal length has been
     * spoken (the offline voice's pace varies, quicker on digits). A Finalize in a pause before the line's
     * last words must not end it, or those words would be taken for the next line.
     */
    private boolean lineSpoken() {
        double elapsedMs = (lastVoiced - segmentStart) * 1000.0 / rate;
        if (line.lengthMs() > 0) {
            return elapsedMs >= line.lengthMs() - KNOWN_LENGTH_SLACK_MS;
        }
        return elapsedMs >= 0.8 * line.nominalEndMs(line.size() - 1);
    }

    /** Words whose estimated end has passed, counted from the line's start. */
    private int heardSoFar() {
        double elapsedMs = (lastVoiced - segmentStart) * 1000.0 / rate;
        int heard = 0;
        while (heard < line.size() && line.nominalEndMs(heard) <= elapsedMs) {
            heard++;
        }
        return heard;
    }

    private void interim(List<ObjectNode> out) {
        if (!options.interimResults() || line == null || samples - lastInterim < (long) INTERIM_EVERY_MS * rate / 1000) {
            return;
        }
        int heard = heardSoFar();
        if (heard <= Math.max(shown, delivered)) {
            return;
        }
        shown = heard;
        lastInterim = samples;
        List<double[]> times = new ArrayList<>();
        for (int i = delivered; i < heard; i++) {
            times.add(new double[] {
                    Math.min(seconds(segmentStart) + line.nominalStartMs(i) / 1000.0, seconds(lastVoiced)),
                    Math.min(seconds(segmentStart) + line.nominalEndMs(i) / 1000.0, seconds(lastVoiced))});
        }
        out.add(results(false, false, false, deliveredUpTo, samples, line, delivered, heard, times));
    }

    /** The rest of the segment's line, spread over the speech not yet covered. */
    private ObjectNode finalResult(boolean fromFinalize, boolean speechFinal) {
        long from = deliveredUpTo;
        List<double[]> times = new ArrayList<>();
        ObjectNode result;
        if (line == null) {
            result = results(true, speechFinal, fromFinalize, from, lastVoiced, null, 0, 0, times);
        } else {
            double start = seconds(from);
            double span = seconds(lastVoiced) - start;
            int total = 0;
            for (int i = delivered; i < line.size(); i++) {
                total += line.weight(i);
            }
            int before = 0;
            for (int i = delivered; i < line.size(); i++) {
                double wordStart = start + span * before / total;
                before += line.weight(i);
                times.add(new double[] {wordStart, start + span * before / total});
            }
            result = results(true, speechFinal, fromFinalize, from, lastVoiced, line, delivered, line.size(), times);
            delivered = line.size();
        }
        deliveredUpTo = lastVoiced;
        finalizedUpTo = lastVoiced;
        if (line != null) {
            utterancePending = true;
            lastWordEnd = lastVoiced;
        }
        return result;
    }

    private void lineDone() {
        if (line != null) {
            nextLine++;
        }
        line = null;
    }

    /**
     * {@code Finalize}: what was heard becomes final at once, marked {@code from_finalize}, as Deepgram flushes
     * its buffer and goes on listening. Once the line has had time to be spoken the segment ends here with the
     * whole line; before that (the caller paused mid-sentence) only the words heard so far are final and the
     * rest of the line follows when the caller goes on. With no speech pending, audio not yet covered by a
     * final result gets an empty final result; with none, there is nothing to answer.
     */
    List<ObjectNode> finalizeNow() {
        List<ObjectNode> out = new ArrayList<>();
        if (inSegment && isSpeech()) {
            if (line != null && !lineSpoken() && heardSoFar() < line.size()) {
                int heard = Math.max(heardSoFar(), delivered);
                // A pause where the line has one (a comma, a sentence's end) is that pause: the word before it
                // has been said, even if the estimate from the line's length puts its end a little later.
                double elapsedMs = (lastVoiced - segmentStart) * 1000.0 / rate;
                if (heard < line.size() && line.pausesAfter(heard)
                        && line.nominalEndMs(heard) - elapsedMs <= PAUSE_CHARS * NOMINAL_MS_PER_CHAR) {
                    heard++;
                }
                List<double[]> times = new ArrayList<>();
                for (int i = delivered; i < heard; i++) {
                    times.add(new double[] {seconds(segmentStart) + line.nominalStartMs(i) / 1000.0,
                            seconds(segmentStart) + line.nominalEndMs(i) / 1000.0});
                }
                out.add(results(true, false, true, deliveredUpTo, lastVoiced, line, delivered, heard, times));
                delivered = heard;
                deliveredUpTo = lastVoiced;
                finalizedUpTo = lastVoiced;
            } else {
                out.add(finalResult(true, false));
                lineDone();
                inSegment = false;
            }
        } else if (samples > finalizedUpTo) {
            inSegment = false;
            out.add(results(true, false, true, finalizedUpTo, samples, null, 0, 0, List.of()));
            finalizedUpTo = samples;
        }
        return out;
    }

    /** {@code CloseStream}: the last results, then the summary Deepgram sends before closing. */
    List<ObjectNode> closeStream() {
        List<ObjectNode> out = new ArrayList<>();
        if (inSegment && isSpeech() && line != null) {
            out.add(finalResult(false, false));
            lineDone();
        }
        inSegment = false;
        ObjectNode metadata = JSON.createObjectNode()
                .put("type", "Metadata")
                .put("transaction_key", "deprecated")
                .put("request_id", requestId)
                .put("sha256", HexFormat.of().formatHex(sha256.digest()))
                .put("created", Instant.now().toString())
                .put("duration", seconds(samples))
                .put("channels", 1);
        metadata.putArray("models").add(modelUuid);
        metadata.putObject("model_info").putObject(modelUuid).put("name", options.model())
                .put("version", "sandbox").put("arch", "sandbox");
        if (!options.extra().isEmpty()) {
            ObjectNode extra = metadata.putObject("extra");
            options.extra().forEach(extra::put);
        }
        out.add(metadata);
        return out;
    }

    private ObjectNode results(boolean isFinal, boolean speechFinal, boolean fromFinalize, long from, long to,
            Line words, int first, int end, List<double[]> times) {
        ObjectNode result = JSON.createObjectNode().put("type", "Results");
        result.putArray("channel_index").add(0).add(1);
        result.put("duration", seconds(Math.max(0, to - from)))
                .put("start", seconds(from))
                .put("is_final", isFinal)
                .put("speech_final", speechFinal)
                .put("from_finalize", fromFinalize);
        ObjectNode alternative = result.putObject("channel").putArray("alternatives").addObject();
        ArrayNode list = JSON.createArrayNode();
        StringBuilder transcript = new StringBuilder();
        for (int i = first; i < end; i++) {
            double[] t = times.get(i - first);
            ObjectNode w = list.addObject()
                    .put("word", words.plain(i))
                    .put("start", round(t[0]))
                    .put("end", round(t[1]))
                    .put("confidence", CONFIDENCE);
            if (options.formatted()) {
                w.put("punctuated_word", words.shown(i));
            }
            transcript.append(transcript.isEmpty() ? "" : " ").append(words.shown(i));
        }
        alternative.put("transcript", transcript.toString())
                .put("confidence", end > first ? CONFIDENCE : 0.0)
                .set("words", list);
        ObjectNode metadata = result.putObject("metadata").put("request_id", requestId);
        metadata.putObject("model_info").put("name", options.model()).put("version", "sandbox").put("arch", "sandbox");
        metadata.put("model_uuid", modelUuid);
        return result;
    }

    private double seconds(long sampleIndex) {
        return round((double) sampleIndex / rate);
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }

    /** A scripted line as words: shown as written when formatting is on, else lower case without punctuation. */
    private static final class Line {
        private final String[] tokens;
        private final String[] plain;
        private final boolean formatted;
        private final int[] nominalStart;
        private final int[] nominalEnd;
        /** The line's audio length as the caller's side gave it, or 0 when it did not. */
        private final int lengthMs;

        Line(SandboxOptions.ScriptedLine line, boolean formatted) {
            this.formatted = formatted;
            this.lengthMs = Math.max(0, line.lengthMs());
            String text = line.text().trim();
            this.tokens = text.isEmpty() ? new String[0] : text.split("\\s+");
            this.plain = new String[tokens.length];
            this.nominalStart = new int[tokens.length];
            this.nominalEnd = new int[tokens.length];
            int total = 0;
            for (int i = 0; i < tokens.length; i++) {
                total += weight(i);
            }
            double msPerChar = line.lengthMs() > 0 ? (double) line.lengthMs() / total : NOMINAL_MS_PER_CHAR;
            int chars = 0;
            for (int i = 0; i < tokens.length; i++) {
                plain[i] = tokens[i].toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}'-]", "");
                nominalStart[i] = (int) Math.round(chars * msPerChar);
                chars += tokens[i].length() + 1;
                nominalEnd[i] = (int) Math.round(chars * msPerChar);
                chars += weight(i) - tokens[i].length() - 1;
            }
        }

        int size() {
            return tokens.length;
        }

        int lengthMs() {
            return lengthMs;
        }

        /**
         * A word's share of the line's time, in characters: its letters and a space, and after a comma,
         * semicolon, colon, or a sentence's end inside the line, the pause a voice makes there (the offline
         * voice's is about 300 ms), so that a word before such a pause counts as said once its audio is, not
         * once the pause is over too.
         */
        int weight(int i) {
            return tokens[i].length() + 1 + (pausesAfter(i) ? PAUSE_CHARS : 0);
        }

        boolean pausesAfter(int i) {
            char last = tokens[i].charAt(tokens[i].length() - 1);
            return ",;:".indexOf(last) >= 0 || i < tokens.length - 1 && ".?!".indexOf(last) >= 0;
        }

        String plain(int i) {
            return plain[i];
        }

        String shown(int i) {
            return formatted ? tokens[i] : plain[i];
        }

        int nominalStartMs(int i) {
            return nominalStart[i];
        }

        int nominalEndMs(int i) {
            return nominalEnd[i];
        }
    }
}
