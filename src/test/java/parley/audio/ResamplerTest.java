package parley.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResamplerTest {

    private static final double AMPLITUDE = 16000;

    @Test
    void passesOneKilohertzUnchangedAndHalvesTheLength() {
        short[] in = sine(1000, 16000, 1.0);
        short[] out = Resampler.downsample16kTo8k(in);

        assertThat(out).hasSize(in.length / 2);
        assertThat(gainDb(in, out)).isCloseTo(0.0, within(0.5));
        // Zero phase: each output sample is the input sample it replaces, not a delayed one.
        for (int k = edge(8000); k < out.length - edge(8000); k++) {
            assertThat(Math.abs(out[k] - in[2 * k])).as("sample %d", k).isLessThan((int) (AMPLITUDE / 100));
        }
    }

    @Test
    void attenuatesWhatWouldAliasIntoTheVoiceBandByAtLeast40Db() {
        short[] in = sine(5000, 16000, 1.0);
        assertThat(gainDb(in, Resampler.downsample16kTo8k(in))).isLessThan(-40.0);
    }

    @ParameterizedTest
    @ValueSource(ints = {300, 2000, 3000, 3400})
    void keepsTheTelephoneBandFlat(int frequency) {
        short[] in = sine(frequency, 16000, 1.0);
        assertThat(gainDb(in, Resampler.downsample16kTo8k(in))).isCloseTo(0.0, within(0.5));
    }

    @ParameterizedTest
    @ValueSource(ints = {4100, 4600, 6000, 7900})
    void stopsEverythingAboveTheOutputNyquistFrequency(int frequency) {
        short[] in = sine(frequency, 16000, 1.0);
        assertThat(gainDb(in, Resampler.downsample16kTo8k(in))).isLessThan(-50.0);
    }

    @Test
    void outputHasOneSamplePerFactorInputSamplesRoundedUp() {
        assertThat(Resampler.downsample16kTo8k(new short[0])).isEmpty();
        assertThat(Resampler.downsample16kTo8k(new short[5])).hasSize(3);
        assertThat(Resampler.to8k(new short[13], 48000)).hasSize(3);
    }

    @Test
    void convertsOtherMultiplesOf8k() {
        short[] voice = sine(1000, 48000, 1.0);
        short[] out = Resampler.to8k(voice, 48000);
        assertThat(out).hasSize(8000);
        assertThat(gainDb(voice, out)).isCloseTo(0.0, within(0.5));

        assertThat(gainDb(sine(5000, 48000, 1.0), Resampler.to8k(sine(5000, 48000, 1.0), 48000))).isLessThan(-40.0);
        assertThat(gainDb(sine(20000, 48000, 1.0), Resampler.to8k(sine(20000, 48000, 1.0), 48000))).isLessThan(-40.0);
        assertThat(Resampler.to8k(sine(1000, 16000, 0.5), 16000))
                .isEqualTo(Resampler.downsample16kTo8k(sine(1000, 16000, 0.5)));
    }

    @Test
    void at8kReturnsACopy() {
        short[] in = sine(1000, 8000, 0.1);
        short[] out = Resampler.to8k(in, 8000);
        assertThat(out).isEqualTo(in).isNotSameAs(in);
    }

    @ParameterizedTest
    @ValueSource(ints = {11025, 44100, 12000, 0, -16000, 392000})
    void refusesRatesThatAreNotMultiplesOf8k(int rate) {
        assertThatThrownBy(() -> Resampler.to8k(new short[10], rate))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(rate + " Hz");
    }

    @Test
    void saturatesFilterOvershootInsteadOfWrappingAround() {
        // A full-scale 500 Hz square wave: the band-limited edges ring above full scale.
        short[] in = new short[16000];
        for (int i = 0; i < in.length; i++) {
            in[i] = (i / 16) % 2 == 0 ? Short.MAX_VALUE : Short.MIN_VALUE;
        }
        short[] out = Resampler.downsample16kTo8k(in);

        assertThat(out).contains(Short.MAX_VALUE, Short.MIN_VALUE);
        for (int k = edge(8000); k < out.length - edge(8000); k++) {
            assertThat(Integer.signum(out[k])).as("sample %d", k).isEqualTo(Integer.signum(in[2 * k]));
        }
    }

    private static short[] sine(double frequency, int rate, double seconds) {
        short[] pcm = new short[(int) (rate * seconds)];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) Math.round(AMPLITUDE * Math.sin(2 * Math.PI * frequency * i / rate));
        }
        return pcm;
    }

    /** Output over input level, ignoring the ends where the filter runs into the implied silence. */
    private static double gainDb(short[] in, short[] out) {
        double rmsIn = rms(in, edge(in.length), in.length - edge(in.length));
        double rmsOut = rms(out, edge(out.length), out.length - edge(out.length));
        return 20 * Math.log10(rmsOut / rmsIn);
    }

    private static int edge(int length) {
        return length / 10;
    }

    private static double rms(short[] pcm, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) pcm[i] * pcm[i];
        }
        return Math.sqrt(sum / (to - from));
    }
}
