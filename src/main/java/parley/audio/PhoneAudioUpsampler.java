package parley.audio;

import java.util.Arrays;
import java.util.Objects;

/**
 * Phone audio (8 kHz) to 16 kHz, for models trained on wideband speech.
 *
 * <p>Doubling the rate puts an image of the 0-4 kHz band, mirrored, at 4-8 kHz; the interpolation filter has
 * to remove it. Models that hear through a log-mel spectrogram see whatever is left there, 80 dB down or
 * more, so the filter follows what such models' reference pipelines use (soxr at its "HQ" quality): flat to
 * 3652 Hz (91.3% of the phone band's 4 kHz), at least 120 dB down from 4 kHz, linear phase. It is a
 * Kaiser-windowed sinc of 361 taps at 16 kHz, split into its two phases: the even output samples come from
 * the even taps, the odd ones from the odd taps, each a symmetric filter on the 8 kHz input, so that every
 * output sample costs about 90 multiplications. Each phase is normalised to unit gain at DC, so that a
 * constant input comes out constant, without a whistle at 8 kHz.
 *
 * <p>The filter is applied centred (zero phase): output sample {@code 2k} is the input sample {@code k}'s
 * instant. The signal is taken as silent before its first and after its last sample, and the part to
 * upsample may start past the signal's start, in which case the samples before it are still heard by the
 * filter: upsampling the last seconds of a call gives what upsampling the whole call and keeping its last
 * seconds would.
 *
 * <p>Not thread-safe: an instance keeps scratch buffers between calls. Use one per thread.
 */
public final class PhoneAudioUpsampler {

    public static final int INPUT_RATE = 8_000;
    public static final int OUTPUT_RATE = 16_000;

    private static final double PASSBAND_EDGE_HZ = 3652;
    private static final double STOPBAND_EDGE_HZ = 4000;
    private static final double STOPBAND_ATTENUATION_DB = 120;

    /** {@code EVEN[m]} weighs {@code x[k - m] + x[k + m]} for output {@code 2k} ({@code EVEN[0]}: {@code x[k]} once). */
    private static final float[] EVEN;
    /** {@code ODD[m]} weighs {@code x[k - m] + x[k + 1 + m]} for output {@code 2k + 1}. */
    private static final float[] ODD;
    /** How many input samples either side of its instant an output sample depends on. */
    static final int REACH;
    /** Outputs per pass over the taps: their sums and shifted inputs take 16 KB, inside a first-level cache. */
    private static final int BLOCK = 1024;

    static {
        double transition = 2 * Math.PI * (STOPBAND_EDGE_HZ - PASSBAND_EDGE_HZ) / OUTPUT_RATE;
        int length = (int) Math.ceil((STOPBAND_ATTENUATION_DB - 7.95) / (2.285 * transition)) + 1;
        int half = (length | 1) / 2;
        double beta = 0.1102 * (STOPBAND_ATTENUATION_DB - 8.7);
        double cutoff = (PASSBAND_EDGE_HZ + STOPBAND_EDGE_HZ) / 2 / OUTPUT_RATE; // cycles per output sample
        double[] taps = new double[half + 1];
        for (int t = 0; t <= half; t++) {
            double ideal = t == 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * t) / (Math.PI * t);
            double r = (double) t / half;
            taps[t] = ideal * kaiserShape(beta * Math.sqrt(1 - r * r));
        }
        double[] even = new double[half / 2 + 1];
        double[] odd = new double[(half + 1) / 2];
        double evenGain = 0;
        double oddGain = 0;
        for (int m = 0; m < even.length; m++) {
            even[m] = taps[2 * m];
            evenGain += m == 0 ? even[m] : 2 * even[m];
        }
        for (int m = 0; m < odd.length; m++) {
            odd[m] = taps[2 * m + 1];
            oddGain += 2 * odd[m];
        }
        EVEN = new float[even.length];
        ODD = new float[odd.length];
        for (int m = 0; m < even.length; m++) {
            EVEN[m] = (float) (even[m] / evenGain);
        }
        for (int m = 0; m < odd.length; m++) {
            ODD[m] = (float) (odd[m] / oddGain);
        }
        REACH = Math.max(EVEN.length - 1, ODD.length);
    }

    private float[] padded = new float[0];
    private final float[] left = new float[BLOCK];
    private final float[] right = new float[BLOCK];
    private final float[] even = new float[BLOCK];
    private final float[] odd = new float[BLOCK];

    /** The whole of {@code samples[0, length)} at 16 kHz: {@code 2 * length} samples. */
    public float[] upsample(float[] samples, int length) {
        float[] out = new float[2 * length];
        upsample(samples, length, 0, out, 0);
        return out;
    }

    /**
     * Upsamples {@code samples[from, length)} of the signal {@code samples[0, length)} into
     * {@code out[outOffset, outOffset + 2 * (length - from))}.
     */
    public void upsample(float[] samples, int length, int from, float[] out, int outOffset) {
        Objects.checkFromToIndex(0, length, samples.length);
        Objects.checkFromToIndex(from, length, length);
        int n = length - from;
        Objects.checkFromIndexSize(outOffset, 2 * n, out.length);
        if (padded.length < n + 2 * REACH) {
            padded = new float[n + 2 * REACH];
        }
        // padded[REACH + i] is samples[from + i]; around it, the signal's own samples or silence.
        int before = Math.min(REACH, from);
        Arrays.fill(padded, 0, REACH - before, 0f);
        System.arraycopy(samples, from - before, padded, REACH - before, before + n);
        Arrays.fill(padded, REACH + n, n + 2 * REACH, 0f);

        // Tap by tap over a block of outputs rather than output by output, so that the inner loop runs over
        // consecutive samples with no dependence between iterations, which the JIT turns into vector code. It
        // does so only when every array in the loop is indexed alike: reading the input at an offset from the
        // output could, for all the JIT knows, read what the loop has just written. Hence the two copies of
        // the input, shifted by each tap's distance, that the sums then read in step; copying is far cheaper
        // than the scalar loop it replaces. A block of outputs keeps all of it in the first-level cache.
        for (int first = 0; first < n; first += BLOCK) {
            int size = Math.min(BLOCK, n - first);
            System.arraycopy(padded, REACH + first, left, 0, size);
            float centre = EVEN[0];
            for (int i = 0; i < size; i++) {
                even[i] = centre * left[i];
                odd[i] = 0f;
            }
            for (int m = 1; m < EVEN.length; m++) {
                accumulate(EVEN[m], REACH + first - m, REACH + first + m, even, size);
            }
            for (int m = 0; m < ODD.length; m++) {
                accumulate(ODD[m], REACH + first - m, REACH + first + 1 + m, odd, size);
            }
            int at = outOffset + 2 * first;
            for (int i = 0; i < size; i++) {
                out[at + 2 * i] = even[i];
                out[at + 2 * i + 1] = odd[i];
            }
        }
    }

    /** {@code sums[i] += tap * (padded[from + i] + padded[to + i])} for the block's {@code size} outputs. */
    private void accumulate(float tap, int from, int to, float[] sums, int size) {
        System.arraycopy(padded, from, left, 0, size);
        System.arraycopy(padded, to, right, 0, size);
        float[] l = left;
        float[] r = right;
        for (int i = 0; i < size; i++) {
            sums[i] += tap * (l[i] + r[i]);
        }
    }

    /**
     * The Kaiser window's shape, I0(x) (the zeroth-order modified Bessel function of the first kind), summed
     * as its power series {@code sum (x/2)^2k / (k!)^2} until the terms no longer count.
     */
    private static double kaiserShape(double x) {
        double half = x / 2;
        double sum = 0;
        double term = 1;
        int k = 0;
        while (term > 1e-15 * sum) {
            sum += term;
            k++;
            term *= (half / k) * (half / k);
        }
        return sum;
    }
}
