package parley.call;

import java.util.Arrays;

import parley.audio.MuLaw;

/**
 * Both sides of a call as the caller heard them, kept in memory while the call lasts and written as a stereo
 * WAV when it ends (caller left, agent right). One timeline runs from the media stream's start, 8 samples a
 * millisecond.
 *
 * <p>The caller's side is their audio as Twilio sent it, with silence where frames went missing. The agent's
 * side is where Twilio played its audio: audio sent while Twilio holds none plays at once, audio sent ahead
 * plays after what Twilio already holds, and a {@code clear} cuts it at that moment, since Twilio drops what
 * it had not played. Each side stops growing at {@code maxMs}, which bounds a call's memory (16 KB a second).
 *
 * <p>The caller's side is written from the call's lane, the agent's from the playback clock: methods
 * synchronise on the recording.
 */
public final class CallRecording {

    private static final int SAMPLES_PER_MS = 8;

    private final long startNanos;
    private final int maxSamples;
    private final Track caller = new Track();
    private final Track agent = new Track();
    /** Where the next agent audio plays: after what Twilio holds, or now if it holds nothing. */
    private long agentPlaysAt;

    public CallRecording(long startNanos, long maxMs) {
        this.startNanos = startNanos;
        this.maxSamples = (int) Math.min(Integer.MAX_VALUE - 64, maxMs * SAMPLES_PER_MS);
    }

    /** A caller frame, after {@code missingFrames} frames of {@code frameBytes} Twilio never delivered. */
    public synchronized void caller(byte[] mulaw, long missingFrames, int frameBytes) {
        long at = caller.length + missingFrames * frameBytes;
        caller.write(at, mulaw, 0, mulaw.length);
    }

    /** Agent audio handed to Twilio at {@code nanos}. */
    public synchronized void agent(byte[] mulaw, int offset, int length, long nanos) {
        long at = Math.max(agentPlaysAt, sampleAt(nanos));
        agent.write(at, mulaw, offset, length);
        agentPlaysAt = at + length;
    }

    /** Twilio was told at {@code nanos} to drop what it had not played: the agent's side ends there. */
    public synchronized void cut(long nanos) {
        long at = sampleAt(nanos);
        if (agentPlaysAt > at) {
            agent.truncate(at);
            agentPlaysAt = at;
        }
    }

    private long sampleAt(long nanos) {
        return Math.max(0, (nanos - startNanos) * SAMPLES_PER_MS / 1_000_000);
    }

    /** The caller's side as 16-bit samples, as long as the longer side. */
    public synchronized short[] callerSide() {
        return caller.pcm(Math.max(caller.length, agent.length));
    }

    /** The agent's side as 16-bit samples, as long as the longer side. */
    public synchronized short[] agentSide() {
        return agent.pcm(Math.max(caller.length, agent.length));
    }

    /** One side: mu-law samples from the timeline's start, silence where nothing was written. */
    private final class Track {
        private byte[] samples = new byte[8 * 1000];
        private int length;

        void write(long at, byte[] mulaw, int offset, int count) {
            if (at >= maxSamples) {
                return;
            }
            int start = (int) at;
            int kept = (int) Math.min(count, maxSamples - at);
            int end = start + kept;
            if (end > samples.length) {
                int grown = (int) Math.min(maxSamples, Math.max((long) samples.length * 2, end));
                samples = Arrays.copyOf(samples, grown);
            }
            if (start > length) {
                Arrays.fill(samples, length, start, MuLaw.SILENCE);
            }
            System.arraycopy(mulaw, offset, samples, start, kept);
            length = Math.max(length, end);
        }

        void truncate(long at) {
            length = (int) Math.min(length, at);
        }

        short[] pcm(int total) {
            short[] pcm = new short[total];
            for (int i = 0; i < length; i++) {
                pcm[i] = MuLaw.decode(samples[i]);
            }
            return pcm;
        }
    }
}
