package parley.audio;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Integer-ratio decimation to the 8 kHz telephone rate.
 *
 * <p>Dropping samples without filtering folds everything above 4 kHz back into the voice band
 * (a 5 kHz fricative hiss becomes a 3 kHz whistle), so the input is first low-passed with a
 * Kaiser-windowed sinc. The filter is flat to 3.4 kHz (the top of the telephone band) and at
 * least 60 dB down from 4 kHz (the output Nyquist frequency) upwards.
 *
 * <p>The filter is applied centred on each kept sample (zero phase), so the output is not delayed
 * against the input: output sample {@code k} corresponds to input sample {@code k * factor}. The
 * signal is taken as silent before its first and after its last sample, and the output has
 * {@code ceil(length / factor)} samples.
 *
 * <p>Input rates above 384 kHz (the highest rate audio hardware offers) are refused: the filter
 * grows with the ratio and is cached, so a corrupt header must not be able to demand a huge one.
 */
public final class Resampler {

    static final int TARGET_RATE = 8000;

    private static final int MAX_INPUT_RATE = 384_000;
    private static final double PASSBAND_EDGE_HZ = 3400;
    private static final double STOPBAND_EDGE_HZ = 4000;
    private static final double STOPBAND_ATTENUATION_DB = 60;

    /** Filters depend only on the decimation factor, and in practice only a few factors ever occur. */
    private static final ConcurrentMap<Integer, double[]> FILTERS = new ConcurrentHashMap<>();

    private Resampler() {
    }

    /** Low-pass (cutoff ~3.4 kHz, windowed-sinc FIR) then decimate by 2. */
    public static short[] downsample16kTo8k(short[] pcm16k) {
        return decimate(pcm16k, 2);
    }

    /** General: any input rate that is an integer multiple of 8000, or 8000 itself (returns a copy). */
    public static short[] to8k(short[] pcm, int sampleRate) {
        Objects.requireNonNull(pcm, "pcm");
        int factor = factorFor(sampleRate);
        return factor == 1 ? pcm.clone() : decimate(pcm, factor);
    }

    /** The decimation factor for an input rate, or an exception saying why the rate is unusable. */
    static int factorFor(int sampleRate) {
        if (sampleRate <= 0 || sampleRate % TARGET_RATE != 0 || sampleRate > MAX_INPUT_RATE) {
            throw new IllegalArgumentException("sample rate " + sampleRate + " Hz is not a multiple of "
                    + TARGET_RATE + " Hz between " + TARGET_RATE + " and " + MAX_INPUT_RATE + " Hz");
        }
        return sampleRate / TARGET_RATE;
    }

    private static short[] decimate(short[] pcm, int factor) {
        Objects.requireNonNull(pcm, "pcm");
        double[] taps = FILTERS.computeIfAbsent(factor, Resampler::designLowPass);
        int half = taps.length / 2;
        int n = pcm.length;
        short[] out = new short[(n + factor - 1) / factor];
        for (int k = 0; k < out.length; k++) {
            int first = k * factor - half;
            int from = Math.max(0, -first);
            int to = Math.min(taps.length, n - first);
            double acc = 0;
            for (int j = from; j < to; j++) {
                acc += taps[j] * pcm[first + j];
            }
            // The filter rings (Gibbs overshoot) on full-scale steps; saturate rather than wrap around.
            out[k] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(acc)));
        }
        return out;
    }

    /** Kaiser-window design (Kaiser's formulas for beta and length), normalised to unity gain at DC. */
    private static double[] designLowPass(int factor) {
        double inputRate = (double) factor * TARGET_RATE;
        double transition = 2 * Math.PI * (STOPBAND_EDGE_HZ - PASSBAND_EDGE_HZ) / inputRate;
        int length = (int) Math.ceil((STOPBAND_ATTENUATION_DB - 7.95) / (2.285 * transition)) + 1;
        length |= 1; // odd, so that a tap sits exactly on the kept sample
        double beta = 0.1102 * (STOPBAND_ATTENUATION_DB - 8.7);
        double cutoff = (PASSBAND_EDGE_HZ + STOPBAND_EDGE_HZ) / 2 / inputRate; // cycles per sample
        int half = length / 2;
        double[] taps = new double[length];
        double norm = besselI0(beta);
        double sum = 0;
        for (int i = 0; i < length; i++) {
            int t = i - half;
            double ideal = t == 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * t) / (Math.PI * t);
            double r = (double) t / half;
            double window = besselI0(beta * Math.sqrt(1 - r * r)) / norm;
            taps[i] = ideal * window;
            sum += taps[i];
        }
        for (int i = 0; i < length; i++) {
            taps[i] /= sum;
        }
        return taps;
    }

    /** Zeroth-order modified Bessel function of the first kind, by its power series. */
    private static double besselI0(double x) {
        double term = 1;
        double sum = 1;
        double quarterSquare = x * x / 4;
        for (int k = 1; term > 1e-12 * sum; k++) {
            term *= quarterSquare / ((double) k * k);
            sum += term;
        }
        return sum;
    }
}
