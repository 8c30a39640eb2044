package parley.hearing;

import java.util.Arrays;
import java.util.Objects;

/**
 * Whisper's log-mel spectrogram of 8 s of 16 kHz audio, as Smart Turn v3 was trained to hear it: a Java port of
 * Pipecat's {@code compute_whisper_log_mel_features(audio, do_normalize=True)} (itself Hugging Face's
 * {@code WhisperFeatureExtractor}).
 *
 * <p>The steps are the reference's, and so are their precisions, because the model was trained on its exact
 * output: the waveform is normalised to zero mean and unit variance in float32, with the mean and variance
 * summed the way numpy sums float32 arrays (pairwise, eight accumulators per block of 128), so that the
 * normalised samples come out bit for bit the same; the rest is done in double, as numpy promotes it. That is:
 * reflect-padding by half a frame, 400-sample frames every 160 samples under a periodic Hann window, the
 * power spectrum of each frame, 80 Slaney-normalised mel filters from 0 to 8 kHz, log10 with a floor of
 * 1e-10, the last frame dropped, everything raised to at most 8 decades below the loudest value, and finally
 * {@code (x + 4) / 4}. The result, rounded once to float32, matches the reference to within a unit in the
 * last place (where the two sum the same terms in another order and land on either side of a rounding step).
 *
 * <p>Frames are 400 samples, which is no power of two; the spectrum is still exact, not an approximation on
 * a padded frame: a real 400-point DFT computed as a complex 200-point FFT of mixed radix (4, 2, 5, 5), whose
 * result is split into the spectrum of the even and the odd samples. Each mel filter is a triangle over a few
 * bins, so only its non-zero weights are kept.
 *
 * <p>Not thread-safe: an instance owns scratch buffers that a computation overwrites. Use one per thread.
 */
public final class WhisperFeatures {

    public static final int SAMPLE_RATE = 16_000;
    /** The model hears exactly 8 s. */
    public static final int SAMPLES = 8 * SAMPLE_RATE;
    public static final int MELS = 80;
    public static final int FRAMES = 800;
    /** Laid out mel by mel, each a row of {@value #FRAMES} frames: the model's {@code [80, 800]}. */
    public static final int SIZE = MELS * FRAMES;

    private static final int FRAME = 400;
    private static final int HOP = 160;
    private static final int PAD = FRAME / 2;
    private static final int BINS = FRAME / 2 + 1;
    private static final int HALF = FRAME / 2;
    private static final float VARIANCE_EPSILON = 1e-7f;
    private static final double MEL_FLOOR = 1e-10;
    private static final double DECADES = 8;
    /** numpy's pairwise summation adds blocks of up to this many elements with eight running sums. */
    private static final int PAIRWISE_BLOCK = 128;
    private static final int UNROLL = 8;

    private static final double[] WINDOW = periodicHann();
    private static final int[] FILTER_FIRST_BIN = new int[MELS];
    private static final double[][] FILTER_WEIGHTS = new double[MELS][];
    /** {@code exp(-2 pi i k / 400)}, turning the spectra of the even and odd samples into the whole frame's. */
    private static final double[] SPLIT_COS = new double[BINS];
    private static final double[] SPLIT_SIN = new double[BINS];

    static {
        buildMelFilters();
        for (int k = 0; k < BINS; k++) {
            SPLIT_COS[k] = Math.cos(2 * Math.PI * k / FRAME);
            SPLIT_SIN[k] = -Math.sin(2 * Math.PI * k / FRAME);
        }
    }

    private final float[] work = new float[SAMPLES];
    private final double[] padded = new double[SAMPLES + 2 * PAD];
    private final double[] logMel = new double[SIZE];
    private final double[] power = new double[BINS];
    private final ComplexFft200 fft = new ComplexFft200();

    /** The features of {@code audio}, which must hold exactly {@value #SAMPLES} samples. */
    public float[] compute(float[] audio) {
        Objects.requireNonNull(audio, "audio");
        if (audio.length != SAMPLES) {
            throw new IllegalArgumentException("Whisper features take " + SAMPLES + " samples (8 s at 16 kHz), not "
                    + audio.length);
        }
        float[] features = new float[SIZE];
        compute(audio, 0, features);
        return features;
    }

    /**
     * Writes into {@code features[0, SIZE)} the features of {@code audio[offset, offset + SAMPLES)}: 8 s at
     * 16 kHz, samples in [-1, 1].
     */
    public void compute(float[] audio, int offset, float[] features) {
        Objects.checkFromIndexSize(offset, SAMPLES, audio.length);
        Objects.checkFromIndexSize(0, SIZE, features.length);
        normalise(audio, offset);
        double loudest = Double.NEGATIVE_INFINITY;
        for (int frame = 0; frame < FRAMES; frame++) {
            powerSpectrum(frame * HOP);
            for (int mel = 0; mel < MELS; mel++) {
                double[] weights = FILTER_WEIGHTS[mel];
                int first = FILTER_FIRST_BIN[mel];
                double energy = 0;
                for (int b = 0; b < weights.length; b++) {
                    energy += weights[b] * power[first + b];
                }
                double value = Math.log10(Math.max(MEL_FLOOR, energy));
                logMel[mel * FRAMES + frame] = value;
                loudest = Math.max(loudest, value);
            }
        }
        double floor = loudest - DECADES;
        for (int i = 0; i < SIZE; i++) {
            features[i] = (float) ((Math.max(logMel[i], floor) + 4.0) / 4.0);
        }
    }

    /** Zero mean and unit variance in float32, as the reference; then reflect-padded by half a frame each side. */
    private void normalise(float[] audio, int offset) {
        float mean = (float) ((double) pairwiseSum(audio, offset, SAMPLES) / SAMPLES);
        for (int i = 0; i < SAMPLES; i++) {
            float centred = audio[offset + i] - mean;
            work[i] = centred * centred;
        }
        float variance = (float) ((double) pairwiseSum(work, 0, SAMPLES) / SAMPLES);
        float deviation = (float) Math.sqrt(variance + VARIANCE_EPSILON);
        for (int i = 0; i < SAMPLES; i++) {
            padded[PAD + i] = (audio[offset + i] - mean) / deviation;
        }
        // numpy's "reflect" mirrors about the edge sample without repeating it.
        for (int j = 1; j <= PAD; j++) {
            padded[PAD - j] = padded[PAD + j];
            padded[PAD + SAMPLES - 1 + j] = padded[PAD + SAMPLES - 1 - j];
        }
    }

    /**
     * numpy's float32 sum, rounding step for rounding step: halves split at multiples of eight down to blocks of
     * at most 128, each summed in eight interleaved float accumulators that are then added as a tree.
     */
    static float pairwiseSum(float[] a, int from, int n) {
        if (n < UNROLL) {
            float sum = 0f;
            for (int i = 0; i < n; i++) {
                sum += a[from + i];
            }
            return sum;
        }
        if (n <= PAIRWISE_BLOCK) {
            float r0 = a[from];
            float r1 = a[from + 1];
            float r2 = a[from + 2];
            float r3 = a[from + 3];
            float r4 = a[from + 4];
            float r5 = a[from + 5];
            float r6 = a[from + 6];
            float r7 = a[from + 7];
            int i = UNROLL;
            for (; i < n - n % UNROLL; i += UNROLL) {
                int at = from + i;
                r0 += a[at];
                r1 += a[at + 1];
                r2 += a[at + 2];
                r3 += a[at + 3];
                r4 += a[at + 4];
                r5 += a[at + 5];
                r6 += a[at + 6];
                r7 += a[at + 7];
            }
            float sum = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++) {
                sum += a[from + i];
            }
            return sum;
        }
        int half = n / 2;
        half -= half % UNROLL;
        return pairwiseSum(a, from, half) + pairwiseSum(a, from + half, n - half);
    }

    /** The power spectrum of the windowed frame starting at {@code start} of the padded signal, into {@link #power}. */
    private void powerSpectrum(int start) {
        double[] re = fft.re;
        double[] im = fft.im;
        int[] slot = ComplexFft200.SLOT;
        // The even samples as real parts, the odd ones as imaginary parts: a 400-point real frame in 200 points.
        for (int n = 0; n < HALF; n++) {
            int s = slot[n];
            re[s] = padded[start + 2 * n] * WINDOW[2 * n];
            im[s] = padded[start + 2 * n + 1] * WINDOW[2 * n + 1];
        }
        fft.transform();
        for (int k = 0; k < BINS; k++) {
            int a = k % HALF;
            int b = (HALF - k) % HALF;
            // Even-sample spectrum E = (Z[k] + conj Z[-k]) / 2, odd-sample spectrum O = (Z[k] - conj Z[-k]) / 2i.
            double er = (re[a] + re[b]) * 0.5;
            double ei = (im[a] - im[b]) * 0.5;
            double or = (im[a] + im[b]) * 0.5;
            double oi = (re[b] - re[a]) * 0.5;
            double xr = er + SPLIT_COS[k] * or - SPLIT_SIN[k] * oi;
            double xi = ei + SPLIT_COS[k] * oi + SPLIT_SIN[k] * or;
            power[k] = xr * xr + xi * xi;
        }
    }

    private static double[] periodicHann() {
        double[] window = new double[FRAME];
        for (int n = 0; n < FRAME; n++) {
            window[n] = 0.5 - 0.5 * Math.cos(2 * Math.PI * n / FRAME);
        }
        return window;
    }

    /** The reference's Slaney filterbank, computed the same way in double, keeping each filter's non-zero run. */
    private static void buildMelFilters() {
        double melMax = hertzToMel(SAMPLE_RATE / 2.0);
        double[] edges = new double[MELS + 2];
        double step = melMax / (MELS + 1);
        for (int i = 0; i < edges.length; i++) {
            edges[i] = melToHertz(i == MELS + 1 ? melMax : i * step);
        }
        double binHertz = (SAMPLE_RATE / 2.0) / (BINS - 1);
        double[] weights = new double[BINS];
        for (int mel = 0; mel < MELS; mel++) {
            double area = 2.0 / (edges[mel + 2] - edges[mel]);
            int first = -1;
            int last = -1;
            for (int b = 0; b < BINS; b++) {
                double hertz = b * binHertz;
                double down = -(edges[mel] - hertz) / (edges[mel + 1] - edges[mel]);
                double up = (edges[mel + 2] - hertz) / (edges[mel + 2] - edges[mel + 1]);
                weights[b] = Math.max(0.0, Math.min(down, up)) * area;
                if (weights[b] > 0) {
                    first = first < 0 ? b : first;
                    last = b;
                }
            }
            if (first < 0) {
                throw new IllegalStateException("mel filter " + mel + " covers no FFT bin");
            }
            FILTER_FIRST_BIN[mel] = first;
            FILTER_WEIGHTS[mel] = Arrays.copyOfRange(weights, first, last + 1);
        }
    }

    private static double hertzToMel(double hertz) {
        return hertz < 1000.0 ? 3.0 * hertz / 200.0 : 15.0 + Math.log(hertz / 1000.0) * (27.0 / Math.log(6.4));
    }

    private static double melToHertz(double mel) {
        return mel < 15.0 ? 200.0 * mel / 3.0 : 1000.0 * Math.exp(Math.log(6.4) / 27.0 * (mel - 15.0));
    }

    /**
     * A forward complex DFT of 200 points, in place, decimated in time with radices 4, 2, 5 and 5. Inputs are
     * stored at {@link #SLOT}{@code [n]} (the mixed-radix digit reversal), outputs come out in natural order.
     */
    static final class ComplexFft200 {

        static final int N = 200;
        /** Radices from the last stage to the first: the last splits the input by residue modulo 5. */
        private static final int[] SPLITS = {5, 5, 2, 4};
        static final int[] SLOT = new int[N];
        private static final double C1 = Math.cos(2 * Math.PI / 5);
        private static final double C2 = Math.cos(4 * Math.PI / 5);
        private static final double S1 = Math.sin(2 * Math.PI / 5);
        private static final double S2 = Math.sin(4 * Math.PI / 5);
        /** Per stage, the twiddle {@code exp(-2 pi i j k / (p m))} at {@code [k * (p - 1) + j - 1]}. */
        private static final double[][] TWIDDLE_COS = new double[SPLITS.length][];
        private static final double[][] TWIDDLE_SIN = new double[SPLITS.length][];

        static {
            for (int n = 0; n < N; n++) {
                int rest = n;
                int size = N;
                int slot = 0;
                for (int radix : SPLITS) {
                    size /= radix;
                    slot += (rest % radix) * size;
                    rest /= radix;
                }
                SLOT[n] = slot;
            }
            int m = 1;
            for (int stage = 0; stage < SPLITS.length; stage++) {
                int p = SPLITS[SPLITS.length - 1 - stage];
                int span = p * m;
                TWIDDLE_COS[stage] = new double[m * (p - 1)];
                TWIDDLE_SIN[stage] = new double[m * (p - 1)];
                for (int k = 0; k < m; k++) {
                    for (int j = 1; j < p; j++) {
                        // Reduced modulo the span before scaling, so that the angle is as exact as a double allows.
                        double angle = -2 * Math.PI * ((j * k) % span) / span;
                        TWIDDLE_COS[stage][k * (p - 1) + j - 1] = Math.cos(angle);
                        TWIDDLE_SIN[stage][k * (p - 1) + j - 1] = Math.sin(angle);
                    }
                }
                m = span;
            }
        }

        final double[] re = new double[N];
        final double[] im = new double[N];

        void transform() {
            int m = 1;
            for (int stage = 0; stage < SPLITS.length; stage++) {
                int p = SPLITS[SPLITS.length - 1 - stage];
                double[] wc = TWIDDLE_COS[stage];
                double[] ws = TWIDDLE_SIN[stage];
                for (int base = 0; base < N; base += p * m) {
                    for (int k = 0; k < m; k++) {
                        int at = base + k;
                        // The first butterfly of a block has only unit twiddles.
                        if (k > 0) {
                            rotate(at, m, p, wc, ws, k * (p - 1));
                        }
                        switch (p) {
                            case 2 -> radix2(at, m);
                            case 4 -> radix4(at, m);
                            case 5 -> radix5(at, m);
                            default -> throw new AssertionError(p);
                        }
                    }
                }
                m *= p;
            }
        }

        /** Multiplies the butterfly's inputs 1 to p - 1 by their twiddles, starting at {@code t} in the tables. */
        private void rotate(int at, int m, int p, double[] wc, double[] ws, int t) {
            for (int j = 1; j < p; j++) {
                int i = at + j * m;
                double c = wc[t + j - 1];
                double s = ws[t + j - 1];
                double r = re[i];
                re[i] = r * c - im[i] * s;
                im[i] = r * s + im[i] * c;
            }
        }

        private void radix2(int at, int m) {
            int b = at + m;
            double br = re[b];
            double bi = im[b];
            re[b] = re[at] - br;
            im[b] = im[at] - bi;
            re[at] += br;
            im[at] += bi;
        }

        private void radix4(int at, int m) {
            int i1 = at + m;
            int i2 = i1 + m;
            int i3 = i2 + m;
            double a0r = re[at];
            double a0i = im[at];
            double a1r = re[i1];
            double a1i = im[i1];
            double a2r = re[i2];
            double a2i = im[i2];
            double a3r = re[i3];
            double a3i = im[i3];
            double sr = a0r + a2r;
            double si = a0i + a2i;
            double dr = a0r - a2r;
            double di = a0i - a2i;
            double tr = a1r + a3r;
            double ti = a1i + a3i;
            // -i (a1 - a3)
            double ur = a1i - a3i;
            double ui = a3r - a1r;
            re[at] = sr + tr;
            im[at] = si + ti;
            re[i1] = dr + ur;
            im[i1] = di + ui;
            re[i2] = sr - tr;
            im[i2] = si - ti;
            re[i3] = dr - ur;
            im[i3] = di - ui;
        }

        private void radix5(int at, int m) {
            int i1 = at + m;
            int i2 = i1 + m;
            int i3 = i2 + m;
            int i4 = i3 + m;
            double a0r = re[at];
            double a0i = im[at];
            double s14r = re[i1] + re[i4];
            double s14i = im[i1] + im[i4];
            double s23r = re[i2] + re[i3];
            double s23i = im[i2] + im[i3];
            double d14r = re[i1] - re[i4];
            double d14i = im[i1] - im[i4];
            double d23r = re[i2] - re[i3];
            double d23i = im[i2] - im[i3];
            double b1r = a0r + C1 * s14r + C2 * s23r;
            double b1i = a0i + C1 * s14i + C2 * s23i;
            double b2r = a0r + C2 * s14r + C1 * s23r;
            double b2i = a0i + C2 * s14i + C1 * s23i;
            // X1 = b1 - i q1 and X4 = b1 + i q1; X2 = b2 - i q2 and X3 = b2 + i q2.
            double q1r = S1 * d14r + S2 * d23r;
            double q1i = S1 * d14i + S2 * d23i;
            double q2r = S2 * d14r - S1 * d23r;
            double q2i = S2 * d14i - S1 * d23i;
            re[at] = a0r + s14r + s23r;
            im[at] = a0i + s14i + s23i;
            re[i1] = b1r + q1i;
            im[i1] = b1i - q1r;
            re[i4] = b1r - q1i;
            im[i4] = b1i + q1r;
            re[i2] = b2r + q2i;
            im[i2] = b2i - q2r;
            re[i3] = b2r - q2i;
            im[i3] = b2i + q2r;
        }
    }
}
