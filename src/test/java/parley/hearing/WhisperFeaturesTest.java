package parley.hearing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import parley.hearing.WhisperFeatures.ComplexFft200;

class WhisperFeaturesTest {

    /**
     * Against Pipecat's own extractor, run on this audio by src/test/python/make_turn_fixtures.py. Both compute
     * the same double-precision values, but in different orders (the FFT, the mel products), so they may
     * differ by a few units in the 15th digit; rounding to float32 hides that, except for a value that lies
     * within that distance of a rounding boundary, which can round the other way. So each feature may be one
     * float32 unit in the last place off, and no more. (On this machine, not even that: all equal.)
     */
    @Test
    void matchesPipecatsFeaturesForAShortTurnPaddedWithSilence() {
        float[] turn = TurnFixtures.wideband("complete-tuesday");
        float[] audio = new float[WhisperFeatures.SAMPLES];
        System.arraycopy(turn, 0, audio, audio.length - turn.length, turn.length);

        assertWithinOneUlp(new WhisperFeatures().compute(audio), TurnFixtures.referenceFeatures("complete-tuesday"));
    }

    @Test
    void matchesPipecatsFeaturesForTheLastEightSecondsOfALongerTurn() {
        float[] turns = TurnFixtures.wideband(TurnFixtures.ALL_TURNS);
        assertThat(turns.length).isGreaterThan(WhisperFeatures.SAMPLES);
        float[] features = new float[WhisperFeatures.SIZE];

        new WhisperFeatures().compute(turns, turns.length - WhisperFeatures.SAMPLES, features);

        assertWithinOneUlp(features, TurnFixtures.referenceFeatures(TurnFixtures.ALL_TURNS));
    }

    @Test
    void anInstanceGivesTheSameFeaturesEveryTime() {
        float[] turns = TurnFixtures.wideband(TurnFixtures.ALL_TURNS);
        float[] audio = java.util.Arrays.copyOfRange(turns, turns.length - WhisperFeatures.SAMPLES, turns.length);
        WhisperFeatures extractor = new WhisperFeatures();

        float[] first = extractor.compute(audio);
        extractor.compute(new float[WhisperFeatures.SAMPLES]);

        assertThat(extractor.compute(audio)).isEqualTo(first);
    }

    /** The 200-point FFT against the DFT's definition, summed in double: only rounding may separate them. */
    @Test
    void theFftIsTheDiscreteFourierTransform() {
        Random random = new Random(7);
        double[] re = new double[ComplexFft200.N];
        double[] im = new double[ComplexFft200.N];
        ComplexFft200 fft = new ComplexFft200();
        for (int n = 0; n < ComplexFft200.N; n++) {
            re[n] = random.nextGaussian();
            im[n] = random.nextGaussian();
            fft.re[ComplexFft200.SLOT[n]] = re[n];
            fft.im[ComplexFft200.SLOT[n]] = im[n];
        }

        fft.transform();

        double worst = 0;
        for (int k = 0; k < ComplexFft200.N; k++) {
            double sumRe = 0;
            double sumIm = 0;
            for (int n = 0; n < ComplexFft200.N; n++) {
                double angle = -2 * Math.PI * ((long) n * k % ComplexFft200.N) / ComplexFft200.N;
                sumRe += re[n] * Math.cos(angle) - im[n] * Math.sin(angle);
                sumIm += re[n] * Math.sin(angle) + im[n] * Math.cos(angle);
            }
            worst = Math.max(worst, Math.hypot(fft.re[k] - sumRe, fft.im[k] - sumIm));
        }
        // Bins are about sqrt(2 * 200) = 20 in size; double rounding over a few hundred terms stays near 1e-13.
        assertThat(worst).isLessThan(1e-12);
    }

    @Test
    void refusesAudioThatIsNotEightSecondsAtSixteenKilohertz() {
        assertThatThrownBy(() -> new WhisperFeatures().compute(new float[WhisperFeatures.SAMPLES - 1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("128000");
    }

    private static void assertWithinOneUlp(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        double worst = 0;
        int differing = 0;
        for (int i = 0; i < expected.length; i++) {
            float difference = Math.abs(actual[i] - expected[i]);
            assertThat(difference)
                    .as("feature %d (mel %d, frame %d): %s against the reference's %s", i,
                            i / WhisperFeatures.FRAMES, i % WhisperFeatures.FRAMES, actual[i], expected[i])
                    .isLessThanOrEqualTo(Math.ulp(expected[i]));
            worst = Math.max(worst, difference);
            differing += difference > 0 ? 1 : 0;
        }
        System.out.printf("Whisper features against Pipecat's: %d of %d differ, by at most %.3g%n",
                differing, expected.length, worst);
    }
}
