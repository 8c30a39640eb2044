package parley.hearing;

import java.util.function.Consumer;

import parley.audio.MuLaw;

/**
 * Cuts one call's audio into the windows the voice-activity detector scores: 256 samples (32 ms) at 8 kHz,
 * straight from Twilio's mu-law, no resampling. Frames are 20 ms, so a window spans parts of two or three
 * frames; each window is stamped with its place in stream time.
 */
public final class CallerEar {

    private final SileroVad.Stream vad;
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
                windowEnergyDb = decibels(energy, SileroVad.WINDOW);
                completed.accept(window);
                window = new float[SileroVad.WINDOW];
                filled = 0;
                energy = 0;
            }
        }
        return decibels(chunkEnergy, mulaw.length);
    }

    private static float decibels(double energy, int samples) {
        return (float) (10 * Math.log10(energy / Math.max(1, samples) + 1e-10));
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
