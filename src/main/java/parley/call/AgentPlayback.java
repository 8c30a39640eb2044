package parley.call;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

import parley.voice.AgentAudio;

/**
 * Paces the agent's audio out to Twilio and keeps track of what the caller has actually heard.
 *
 * <p>Twilio buffers what it is sent and plays it in real time, so once audio is handed over it can only be
 * dropped with a {@code clear}. Sending at most {@code maxSpeedup} frames per 20 ms tick, and never more than
 * {@code maxLead} beyond the last mark Twilio confirmed as played, keeps that buffer short: a barge-in
 * silences the agent quickly, and the confirmed position is never far behind the caller's ear.
 *
 * <p>Marks go out every {@code markEvery} of audio and at the end of each utterance. A mark Twilio echoes
 * after a {@code clear} was not heard: those echoes are recognised and ignored.
 *
 * <p>Called from the playback clock (tick) and the call's lane (enqueue, marks, clear); methods synchronise.
 */
public final class AgentPlayback {

    public static final int FRAME_BYTES = 160;
    private static final int SAMPLES_PER_MS = 8;

    /** Where Twilio's audio goes: the call's socket in production, a recorder in tests. */
    public interface Sink {
        void media(byte[] audio, int offset, int length);

        void mark(String name);

        void clear();
    }

    /** What the caller heard of one utterance. */
    public record Heard(int utterance, String text, long heardMs, long durationMs) {
        public boolean complete() {
            return heardMs >= durationMs;
        }
    }

    /** The outcome of a mark echo. */
    public enum MarkOutcome { PROGRESS, UTTERANCE_PLAYED, ECHO_OF_CLEARED, UNKNOWN }

    private record PendingMark(String name, int utterance, AgentAudio audio, long streamSample, long utteranceSample,
                               boolean last) {
    }

    private final Sink sink;
    private final long maxLeadSamples;
    private final int framesPerTick;
    private final long markEverySamples;

    private final ArrayDeque<AgentAudio> queue = new ArrayDeque<>();
    private final ArrayDeque<PendingMark> pending = new ArrayDeque<>();
    private final Set<String> cleared = new HashSet<>();
    private AgentAudio current;
    private int currentOffset;
    private int utteranceCount;
    private long sentSamples;
    private long heardSamples;
    private long lastMarkSample;
    private Heard lastHeard;

    public AgentPlayback(Sink sink, long maxLeadMs, int maxSpeedup, long markEveryMs) {
        if (maxSpeedup < 1 || maxLeadMs < 20 || markEveryMs < 20) {
            throw new IllegalArgumentException("playback needs max-speedup >= 1, max-lead and mark-every >= 20ms");
        }
        this.sink = sink;
        this.maxLeadSamples = maxLeadMs * SAMPLES_PER_MS;
        this.framesPerTick = maxSpeedup;
        this.markEverySamples = markEveryMs * SAMPLES_PER_MS;
    }

    public synchronized void enqueue(AgentAudio audio) {
        if (audio.mulaw().length > 0) {
            queue.add(audio);
        }
    }

    /** One 20 ms step of the playback clock. */
    public synchronized void tick() {
        for (int budget = framesPerTick; budget > 0 && sentSamples - heardSamples < maxLeadSamples; budget--) {
            if (current == null && !startNextUtterance()) {
                return;
            }
            int length = Math.min(FRAME_BYTES, current.mulaw().length - currentOffset);
            sink.media(current.mulaw(), currentOffset, length);
            currentOffset += length;
            sentSamples += length;
            boolean last = currentOffset == current.mulaw().length;
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
        // Twilio echoes marks in order; any earlier pending mark was played too.
        while (!pending.isEmpty()) {
            PendingMark mark = pending.poll();
            heardSamples = mark.streamSample();
            lastHeard = new Heard(mark.utterance(), mark.audio().text(), mark.utteranceSample() / SAMPLES_PER_MS,
                    mark.audio().durationMs());
            if (mark.name().equals(name)) {
                return mark.last() ? MarkOutcome.UTTERANCE_PLAYED : MarkOutcome.PROGRESS;
            }
        }
        return MarkOutcome.UNKNOWN;
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
            AgentAudio playing;
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
            cut = new Heard(utterance, playing.text(), heardInUtterance, playing.durationMs());
        }
        sink.clear();
        pending.forEach(mark -> cleared.add(mark.name()));
        pending.clear();
        queue.clear();
        current = null;
        sentSamples = heardSamples;
        lastMarkSample = heardSamples;
        return cut;
    }

    /** True while audio is queued, being sent, or sent and not yet confirmed as played. */
    public synchronized boolean isSpeaking() {
        return current != null || !queue.isEmpty() || !pending.isEmpty();
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
