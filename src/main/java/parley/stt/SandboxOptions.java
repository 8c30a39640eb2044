package parley.stt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The query parameters of a live request, validated as Deepgram validates them, plus the caller's lines the
 * request carries as {@code extra=sandbox-line-N:text} metadata, each with the length of its audio in
 * milliseconds as {@code extra=sandbox-line-N-ms:length} when the caller's side knows it, and how loud the
 * caller must be to be heard, as {@code extra=sandbox-speech-rms:level}.
 *
 * @param endpointingMs silence that ends a result with {@code speech_final}; -1 when {@code endpointing=false}
 * @param utteranceEndMs gap after the last word before {@code UtteranceEnd}; -1 when not asked for
 */
record SandboxOptions(String model, String encoding, int sampleRate, boolean interimResults, int endpointingMs,
        int utteranceEndMs, boolean vadEvents, boolean formatted, String tag, Map<String, String> extra,
        List<ScriptedLine> lines) {

    /** A line the caller will say, and how long its audio is (0: unknown). */
    record ScriptedLine(String text, int lengthMs) {
    }

    private static final Pattern LINE_KEY = Pattern.compile("(\\d+)(-ms)?");
    static final String SPEECH_RMS = "sandbox-speech-rms";
    /** The level the offline voice's trimming counts as speech. */
    private static final int DEFAULT_SPEECH_RMS = 150;

    /**
     * How loud (RMS of 16-bit samples over 10 ms) audio must be to count as speech: 150 by default, higher for
     * a call whose line carries the agent's echo, which this recognizer must not take for the caller's lines.
     */
    int speechRms() {
        return Integer.parseInt(extra.getOrDefault(SPEECH_RMS, String.valueOf(DEFAULT_SPEECH_RMS)));
    }

    /** Thrown for a request Deepgram would refuse with 400; the message is what goes in {@code dg-error}. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    /** Deepgram's raw encodings; the sandbox decodes the two telephony and PCM ones. */
    private static final Set<String> DEEPGRAM_ENCODINGS = Set.of("linear16", "linear32", "flac", "alaw", "mulaw",
            "amr-nb", "amr-wb", "opus", "ogg-opus", "speex", "g729");
    private static final Set<String> DECODED = Set.of("mulaw", "linear16");
    /** Deepgram's default endpointing when the parameter is absent. */
    private static final int DEFAULT_ENDPOINTING_MS = 10;
    private static final int MAX_TAG = 128;
    private static final int MAX_EXTRA = 2048;

    static SandboxOptions parse(Map<String, List<String>> query) throws Invalid {
        String encoding = single(query, "encoding", null);
        if (encoding == null) {
            throw new Invalid("The sandbox recognizer takes raw audio only: set encoding and sample_rate.");
        }
        if (!DEEPGRAM_ENCODINGS.contains(encoding)) {
            throw new Invalid("Invalid value for encoding: '" + encoding + "'.");
        }
        if (!DECODED.contains(encoding)) {
            throw new Invalid("The sandbox recognizer decodes mulaw and linear16 only, not '" + encoding + "'.");
        }
        String rate = single(query, "sample_rate", null);
        if (rate == null) {
            throw new Invalid("sample_rate is required when encoding is set.");
        }
        int sampleRate = integer("sample_rate", rate);
        if (sampleRate < 8000 || sampleRate > 48000 || sampleRate % 100 != 0) {
            throw new Invalid("Invalid value for sample_rate: '" + rate + "'.");
        }
        String channels = single(query, "channels", "1");
        if (integer("channels", channels) != 1) {
            throw new Invalid("The sandbox recognizer transcribes one channel only, not " + channels + ".");
        }
        boolean interim = bool(query, "interim_results", false);
        String endpointing = single(query, "endpointing", String.valueOf(DEFAULT_ENDPOINTING_MS));
        int endpointingMs = switch (endpointing) {
            case "false" -> -1;
            case "true" -> DEFAULT_ENDPOINTING_MS;
            default -> nonNegative("endpointing", endpointing);
        };
        String utteranceEnd = single(query, "utterance_end_ms", null);
        int utteranceEndMs = -1;
        if (utteranceEnd != null) {
            utteranceEndMs = nonNegative("utterance_end_ms", utteranceEnd);
            if (!interim) {
                throw new Invalid("utterance_end_ms requires interim_results=true.");
            }
            if (utteranceEndMs < 1000) {
                throw new Invalid("utterance_end_ms must be at least 1000, got " + utteranceEndMs + ".");
            }
        }
        boolean formatted = bool(query, "smart_format", false) || bool(query, "punctuate", false);
        String tag = single(query, "tag", "");
        if (tag.length() > MAX_TAG) {
            throw new Invalid("tag is limited to " + MAX_TAG + " characters.");
        }
        Map<String, String> extra = new TreeMap<>();
        for (String pair : query.getOrDefault("extra", List.of())) {
            int colon = pair.indexOf(':');
            if (colon <= 0) {
                throw new Invalid("extra must be KEY:VALUE, got '" + pair + "'.");
            }
            if (pair.length() > MAX_EXTRA) {
                throw new Invalid("extra is limited to " + MAX_EXTRA + " characters per key-value pair.");
            }
            extra.put(pair.substring(0, colon), pair.substring(colon + 1));
        }
        String speechRms = extra.get(SPEECH_RMS);
        if (speechRms != null && !speechRms.matches("[1-9]\\d{0,4}")) {
            throw new Invalid(SPEECH_RMS + " must be a level from 1 to 99999, got '" + speechRms + "'.");
        }
        return new SandboxOptions(single(query, "model", "base"), encoding, sampleRate, interim, endpointingMs,
                utteranceEndMs, bool(query, "vad_events", false), formatted, tag, Map.copyOf(extra), lines(extra));
    }

    /**
     * {@code sandbox-line-1}, {@code sandbox-line-2}, ... in number order, with their lengths from
     * {@code sandbox-line-1-ms}, ...; other metadata is not a line.
     */
    private static List<ScriptedLine> lines(Map<String, String> extra) throws Invalid {
        TreeMap<Integer, String> texts = new TreeMap<>();
        Map<Integer, Integer> lengths = new TreeMap<>();
        for (Map.Entry<String, String> e : extra.entrySet()) {
            if (!e.getKey().startsWith(DeepgramSettings.SANDBOX_LINE_PREFIX)) {
                continue;
            }
            Matcher key = LINE_KEY.matcher(e.getKey().substring(DeepgramSettings.SANDBOX_LINE_PREFIX.length()));
            if (!key.matches()) {
                throw new Invalid("extra key '" + e.getKey() + "' must end in a line number, or a line number and -ms.");
            }
            int number = Integer.parseInt(key.group(1));
            if (key.group(2) == null) {
                texts.put(number, e.getValue());
            } else {
                try {
                    lengths.put(number, Integer.parseInt(e.getValue()));
                } catch (NumberFormatException notANumber) {
                    throw new Invalid("extra '" + e.getKey() + "' must be a length in milliseconds.");
                }
            }
        }
        List<ScriptedLine> lines = new ArrayList<>();
        texts.forEach((number, text) -> lines.add(new ScriptedLine(text, lengths.getOrDefault(number, 0))));
        return List.copyOf(lines);
    }

    int bytesPerSample() {
        return encoding.equals("linear16") ? 2 : 1;
    }

    private static String single(Map<String, List<String>> query, String name, String absent) throws Invalid {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty()) {
            return absent;
        }
        if (values.size() > 1) {
            throw new Invalid(name + " was given more than once.");
        }
        return values.get(0);
    }

    private static boolean bool(Map<String, List<String>> query, String name, boolean absent) throws Invalid {
        String value = single(query, name, String.valueOf(absent));
        if (!value.equals("true") && !value.equals("false")) {
            throw new Invalid("Invalid value for " + name + ": '" + value + "'.");
        }
        return value.equals("true");
    }

    private static int integer(String name, String value) throws Invalid {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new Invalid("Invalid value for " + name + ": '" + value + "'.");
        }
    }

    private static int nonNegative(String name, String value) throws Invalid {
        int parsed = integer(name, value);
        if (parsed < 0) {
            throw new Invalid("Invalid value for " + name + ": '" + value + "'.");
        }
        return parsed;
    }
}
