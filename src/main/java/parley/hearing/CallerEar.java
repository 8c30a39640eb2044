package parley.hearing;

import java.util.Arrays;
import java.util.function.Consumer;

import parley.audio.MuLaw;

/**
 * Cuts one call's audio into the windows the voice-activity detector scores: 256 samples (32 ms) at 8 kHz,
 * straight from Twilio's mu-law, no resampling. Frames are 20 ms, so a window spans parts of two or three
 * frames; each window is stamped with its place in stream time. The last {@link #KEPT_MS} of audio are kept,
 * as mu-law (8 KiB a second), for the turn model to hear the end of the caller's turn.
 */
public final class CallerEar {

    /** As much of the caller as the turn model hears. */
    public static final int KEPT_MS = 8000;
    private static final int KEPT_SAMPLES = KEPT_MS * 8;

    private final SileroVad.Stream vad;
    private final byte[] kept = new byte[KEPT_SAMPLES];
    /** The stream-time sample just after the last one kept. */
    private long keptUntil;
    private float[] window = new float[SileroVad.WINDOW];
    private int filled;
    private double energy;
    private long windowStartMs = -1;
    private float windowEnergyDb;

    public CallerEar(SileroVad.Stream vad) {
        this.vad = vad;
    }

    /**
     * Takes one media chunk, hands over every window it completes, and returns the chunk's loudness (dBFS).
     *
     * @param timestampMs where the chunk starts in stream time (Twilio's {@code media.timestamp})
     */
    public float hear(byte[] mulaw, long timestampMs, Consumer<float[]> completed) {
        keep(mulaw, timestampMs * 8);
        double chunkEnergy = 0;
        for (int i = 0; i < mulaw.length; i++) {
            if (filled == 0) {
                windowStartMs = timestampMs + i / 8;
            }
            float sample = MuLaw.decode(mulaw[i]) / 32768f;
            window[filled++] = sample;
            energy += sample * sample;
            chunkEnergy += sample * sample;
            if (filled == SileroVad.WINDOW) {
                windowEnergyDb = MuLaw.decibels(energy, SileroVad.WINDOW);
                completed.accept(window);
                window = new float[SileroVad.WINDOW];
                filled = 0;
                energy = 0;
            }
        }
        return MuLaw.decibels(chunkEnergy, mulaw.length);
    }

    private void keep(byte[] mulaw, long firstSample) {
        int from = Math.max(0, mulaw.length - KEPT_SAMPLES);
        long end = firstSample + mulaw.length;
        // A chunk that skips ahead (Twilio lost some) leaves silence, not old audio, in the gap.
        long gap = Math.max(keptUntil, end - KEPT_SAMPLES);
        if (gap < firstSample + from) {
            fill(gap, (int) (firstSample + from - gap));
        }
        for (int done = from; done < mulaw.length; ) {
            int at = (int) ((firstSample + done) % KEPT_SAMPLES);
            int run = Math.min(mulaw.length - done, KEPT_SAMPLES - at);
            System.arraycopy(mulaw, done, kept, at, run);
            done += run;
        }
        keptUntil = Math.max(keptUntil, end);
    }

    private void fill(long fromSample, int count) {
        for (int done = 0; done < count; ) {
            int at = (int) ((fromSample + done) % KEPT_SAMPLES);
            int run = Math.min(count - done, KEPT_SAMPLES - at);
            Arrays.fill(kept, at, at + run, MuLaw.SILENCE);
            done += run;
        }
    }

    /**
     * The caller's audio from {@code fromMs} up to what has arrived, at most the last {@link #KEPT_MS}: 8 kHz
     * samples in [-1, 1].
     */
    public float[] recentAudio(long fromMs) {
        long from = Math.max(Math.max(0, fromMs * 8), keptUntil - KEPT_SAMPLES);
        float[] samples = new float[(int) Math.max(0, keptUntil - from)];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = MuLaw.decode(kept[(int) ((from + i) % KEPT_SAMPLES)]) / 32768f;
        }
        return samples;
    }

    /** Where the last completed window started; valid inside the {@link #hear} callback. */
    public long windowStartMs() {
        return windowStartMs;
    }

    /** How loud the last completed window was, in dBFS; valid inside the {@link #hear} callback. */
    public float windowEnergyDb() {
        return windowEnergyDb;
    }

    public SileroVad.Stream vad() {
        return vad;
    }
}
