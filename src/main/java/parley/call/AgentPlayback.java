package parley.call;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import parley.audio.MuLaw;
import parley.conversation.HeardText;
import parley.voice.AgentAudio;

/**
 * Paces the agent's audio out to Twilio and keeps track of what the caller has actually heard.
 *
 * <p>Twilio buffers what it is sent and plays it in real time, so once audio is handed over it can only be
 * dropped with a {@code clear}. Sending at most {@code maxSpeedup} frames per 20 ms tick, and never more than
 * {@code maxLead} beyond the last mark Twilio confirmed as played, keeps that buffer short: a barge-in
 * silences the agent quickly, and the confirmed position is never far behind the caller's ear.
 *
 * <p>A hold stops the sending without a {@code clear}: what Twilio holds plays out, the caller hears the agent
 * pause, and a release goes on from the very next sample. Speech over the agent holds it until words tell
 * whether the caller is taking the turn; a backchannel then costs a pause, not a restarted sentence.
 *
 * <p>Marks go out every {@code markEvery} of audio and at the end of each utterance. A mark Twilio echoes
 * after a {@code clear} was not heard: those echoes are recognised and ignored.
 *
 * <p>An utterance can be played while it is still being rendered: a streaming voice appends audio to it as
 * it arrives, and the utterance counts as played only once it is finished and all of it was heard.
 *
 * <p>Audio that arrives while the playback is waiting for it (a line queued on a silent call, or the next
 * chunk of a line the voice is still rendering) goes out at once, within what is left of the current tick's
 * allowance, instead of waiting up to 20 ms for the next tick.
 *
 * <p>Called from the playback clock (tick), the call's lane (speak, marks, clear) and voices' threads
 * (appending audio); methods synchronise on the playback.
 */
public final class AgentPlayback {

    public static final int FRAME_BYTES = 160;
    private static final int SAMPLES_PER_MS = 8;
    /** 1.28 s of sent frames: more than the longest echo and the lead together. */
    private static final int SENT_LOUDNESS_FRAMES = 64;
    private static final float SILENT_DB = -100;

    /** Where Twilio's audio goes: the call's socket in production, a recorder in tests. */
    public interface Sink {
        void media(byte[] audio, int offset, int length);

        void mark(String name);

        void clear();
    }

    /** What the caller heard of one utterance: the line, how much of it, and the words they heard. */
    public record Heard(int utterance, String text, long heardMs, long durationMs, String heardText) {
        public boolean complete() {
            return heardMs >= durationMs;
        }
    }

    private static Heard heard(int utterance, Utterance audio, long heardMs) {
        long durationMs = audio.finished ? audio.durationMs() : Long.MAX_VALUE;
        String heardText = HeardText.heard(audio.text, heardMs, audio.finished ? durationMs : estimatedMs(audio),
                List.copyOf(audio.words));
        return new Heard(utterance, audio.text, heardMs, durationMs, heardText);
    }

    /** A line still being rendered has no length yet: a guess from its text stands in for it. */
    private static long estimatedMs(Utterance audio) {
        return Math.max(audio.durationMs(), HeardText.estimatedMs(audio.text));
    }

    /** The outcome of a mark echo. */
    public enum MarkOutcome { PROGRESS, UTTERANCE_PLAYED, ECHO_OF_CLEARED, UNKNOWN }

    private record PendingMark(String name, int utterance, Utterance audio, long streamSample, long utteranceSample,
                               boolean last) {
    }

    /** One line of the agent's, its audio growing until it is finished. */
    public final class Utterance {
        private String text;
        private final List<HeardText.TimedWord> words = new ArrayList<>();
        private byte[] audio = new byte[8 * 1000];
        private int length;
        private boolean finished;
        private boolean dropped;
        private final Runnable firstAudioSent;

        private Utterance(String text, Runnable firstAudioSent) {
            this.text = text;
            this.firstAudioSent = firstAudioSent;
        }

        /** More of the line's audio, raw mu-law 8 kHz. Ignored once the line was dropped by a clear. */
        public void append(byte[] mulaw) {
            synchronized (AgentPlayback.this) {
                if (dropped || finished) {
                    return;
                }
                if (length + mulaw.length > audio.length) {
                    audio = Arrays.copyOf(audio, Math.max(audio.length * 2, length + mulaw.length));
                }
                System.arraycopy(mulaw, 0, audio, length, mulaw.length);
                length += mulaw.length;
                send();
            }
        }

        /** Word timings from the voice, for cutting the line at the word the caller last heard. */
        public void words(List<HeardText.TimedWord> timed) {
            synchronized (AgentPlayback.this) {
                words.addAll(timed);
            }
        }

        /** More of the line's text, while the reply is still being written. */
        public void say(String more) {
            synchronized (AgentPlayback.this) {
                text = text + more;
            }
        }

        /** All of the line's audio has been appended. */
        public void finish() {
            synchronized (AgentPlayback.this) {
                finished = true;
                send();
            }
        }

        public String text() {
            synchronized (AgentPlayback.this) {
                return text;
            }
        }

        long durationMs() {
            return length / SAMPLES_PER_MS;
        }
    }

    private final Sink sink;
    private final long maxLeadSamples;
    private final int framesPerTick;
    private final long markEverySamples;

    private final ArrayDeque<Utterance> queue = new ArrayDeque<>();
    private final ArrayDeque<PendingMark> pending = new ArrayDeque<>();
    private final Set<String> cleared = new HashSet<>();
    private Utterance current;
    private int currentOffset;
    private int utteranceCount;
    private long sentSamples;
    private long heardSamples;
    private long lastMarkSample;
    private Heard lastHeard;
    /** Frames the current tick may still send. */
    private int allowance;
    private boolean closed;
    private boolean held;
    /** The loudness of the last frames sent, by frame number: the agent's voice as it may come back. */
    private final float[] sentLoudnessDb = new float[SENT_LOUDNESS_FRAMES];

    public AgentPlayback(Sink sink, long maxLeadMs, int maxSpeedup, long markEveryMs) {
        if (maxSpeedup < 1 || maxLeadMs < 20 || markEveryMs < 20) {
            throw new IllegalArgumentException("playback needs max-speedup >= 1, max-lead and mark-every >= 20ms");
        }
        this.sink = sink;
        this.maxLeadSamples = maxLeadMs * SAMPLES_PER_MS;
        this.framesPerTick = maxSpeedup;
        this.markEverySamples = markEveryMs * SAMPLES_PER_MS;
        this.allowance = maxSpeedup;
        Arrays.fill(sentLoudnessDb, SILENT_DB);
    }

    /**
     * Queues a line whose audio will be appended as a voice renders it; {@code firstAudioSent} runs when its
     * first audio is handed to Twilio.
     */
    public synchronized Utterance speak(String text, Runnable firstAudioSent) {
        Utterance utterance = new Utterance(text, firstAudioSent);
        if (closed) {
            utterance.dropped = true;
        } else {
            queue.add(utterance);
        }
        return utterance;
    }

    /** Queues a line whose audio is already complete (a cached scripted line); it starts at once if it can. */
    public synchronized void enqueue(AgentAudio audio, Runnable firstAudioSent) {
        if (audio.mulaw().length > 0) {
            Utterance utterance = speak(audio.text(), firstAudioSent);
            utterance.words(audio.words());
            utterance.append(audio.mulaw());
            utterance.finish();
        }
    }

    /** One 20 ms step of the playback clock. */
    public synchronized void tick() {
        allowance = framesPerTick;
        send();
    }

    private void send() {
        for (; !closed && !held && allowance > 0 && sentSamples - heardSamples < maxLeadSamples; allowance--) {
            if (current == null && !startNextUtterance()) {
                return;
            }
            int available = current.length - currentOffset;
            if (available < FRAME_BYTES && !current.finished) {
                // The voice is still rendering this line: wait for a whole frame rather than send a sliver.
                return;
            }
            int length = Math.min(FRAME_BYTES, available);
            if (length > 0) {
                sentLoudnessDb[(int) (sentSamples / FRAME_BYTES % SENT_LOUDNESS_FRAMES)] =
                        MuLaw.loudnessDb(current.audio, currentOffset, length);
                sink.media(current.audio, currentOffset, length);
                if (currentOffset == 0) {
                    current.firstAudioSent.run();
                }
            }
            currentOffset += length;
            sentSamples += length;
            boolean last = current.finished && currentOffset == current.length;
            if (last || sentSamples - lastMarkSample >= markEverySamples) {
                sendMark(last);
            }
            if (last) {
                current = null;
            }
        }
    }

    private boolean startNextUtterance() {
        current = queue.poll();
        if (current == null) {
            return false;
        }
        currentOffset = 0;
        utteranceCount++;
        return true;
    }

    private void sendMark(boolean last) {
        String name = "u" + utteranceCount + "-" + (last ? "end" : currentOffset / SAMPLES_PER_MS);
        pending.add(new PendingMark(name, utteranceCount, current, sentSamples, currentOffset, last));
        lastMarkSample = sentSamples;
        sink.mark(name);
    }

    public synchronized MarkOutcome markReached(String name) {
        if (cleared.remove(name)) {
            return MarkOutcome.ECHO_OF_CLEARED;
        }
        // A name Parley never sent (or already counted) says nothing of what was played: pending marks stay.
        if (pending.stream().noneMatch(mark -> mark.name().equals(name))) {
            return MarkOutcome.UNKNOWN;
        }
        // Twilio echoes marks in order; any earlier pending mark was played too.
        while (!pending.isEmpty()) {
            PendingMark mark = pending.poll();
            heardSamples = mark.streamSample();
            lastHeard = heard(mark.utterance(), mark.audio(), mark.utteranceSample() / SAMPLES_PER_MS);
            if (mark.name().equals(name)) {
                return mark.last() ? MarkOutcome.UTTERANCE_PLAYED : MarkOutcome.PROGRESS;
            }
        }
        return MarkOutcome.UNKNOWN;
    }

    /** Sends nothing more until {@link #release()}; what Twilio already holds still plays. */
    public synchronized void hold() {
        held = true;
    }

    /** Goes on sending from where {@link #hold()} stopped. */
    public synchronized void release() {
        held = false;
        send();
    }

    /**
     * Stops the agent: Twilio drops its buffer, nothing queued is sent. Returns what the caller heard of the
     * utterance that was cut, or null when the agent was silent.
     */
    public synchronized Heard clear() {
        boolean speaking = isSpeaking();
        Heard cut = null;
        if (speaking) {
            PendingMark first = pending.peek();
            Utterance playing;
            int utterance;
            if (first != null) {
                playing = first.audio();
                utterance = first.utterance();
            } else if (current != null) {
                playing = current;
                utterance = utteranceCount;
            } else {
                playing = queue.peek();
                utterance = utteranceCount + 1;
            }
            long heardInUtterance = lastHeard != null && lastHeard.utterance() == utterance ? lastHeard.heardMs() : 0;
            cut = heard(utterance, playing, heardInUtterance);
        }
        sink.clear();
        held = false;
        pending.forEach(mark -> cleared.add(mark.name()));
        pending.clear();
        dropUnsent();
        sentSamples = heardSamples;
        lastMarkSample = heardSamples;
        return cut;
    }

    /** The call ended: nothing queued or arriving later is sent, and Twilio is not told anything more. */
    public synchronized void close() {
        closed = true;
        dropUnsent();
    }

    private void dropUnsent() {
        if (current != null) {
            current.dropped = true;
        }
        queue.forEach(dropped -> dropped.dropped = true);
        queue.clear();
        current = null;
    }

    /** True while audio is queued, being sent, or sent and not yet confirmed as played. */
    public synchronized boolean isSpeaking() {
        return current != null || !queue.isEmpty() || !pending.isEmpty();
    }

    /**
     * The loudest frame the caller may have heard in the last {@code backMs}, or be hearing now (dBFS): the
     * loudest the agent's own voice can be where it leaks back into the caller's line that much later. Twilio
     * plays somewhere between the last confirmed mark and the last frame sent, so both bound the search.
     */
    public synchronized float loudestRecentDb(long backMs) {
        long first = Math.max(0, heardSamples - backMs * SAMPLES_PER_MS) / FRAME_BYTES;
        long last = (sentSamples - 1) / FRAME_BYTES;
        float loudest = SILENT_DB;
        for (long frame = Math.max(first, last - SENT_LOUDNESS_FRAMES + 1); frame <= last; frame++) {
            loudest = Math.max(loudest, sentLoudnessDb[(int) (frame % SENT_LOUDNESS_FRAMES)]);
        }
        return loudest;
    }

    public synchronized long heardMs() {
        return heardSamples / SAMPLES_PER_MS;
    }

    public synchronized long sentMs() {
        return sentSamples / SAMPLES_PER_MS;
    }

    public synchronized Heard lastHeard() {
        return lastHeard;
    }
}
