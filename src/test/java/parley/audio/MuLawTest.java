package parley.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MuLawTest {

    /** Java Sound's encoder computes the biased magnitude in a short, which overflows beyond this level. */
    private static final int JAVA_SOUND_OVERFLOW = 32635;

    @Test
    void decodesTheG711ReferenceValues() {
        assertThat(MuLaw.decode((byte) 0x00)).isEqualTo((short) -32124);
        assertThat(MuLaw.decode((byte) 0x80)).isEqualTo((short) 32124);
        assertThat(MuLaw.decode((byte) 0xFF)).isEqualTo((short) 0);
        assertThat(MuLaw.decode((byte) 0x7F)).isEqualTo((short) 0);
        assertThat(MuLaw.decode(MuLaw.SILENCE)).isEqualTo((short) 0);
        assertThat(MuLaw.encode((short) 0)).isEqualTo(MuLaw.SILENCE).isEqualTo((byte) 0xFF);
    }

    /** G.711 Table 2a: the 14-bit decoder outputs at both ends of each segment, times four for 16-bit samples. */
    @ParameterizedTest
    @CsvSource({
        "0xFF, 0", "0xF0, 120",
        "0xEF, 132", "0xE0, 372",
        "0xDF, 396", "0xD0, 876",
        "0xCF, 924", "0xC0, 1884",
        "0xBF, 1980", "0xB0, 3900",
        "0xAF, 4092", "0xA0, 7932",
        "0x9F, 8316", "0x90, 15996",
        "0x8F, 16764", "0x80, 32124",
    })
    void decodesSegmentEndPointsSymmetrically(String code, int expected) {
        int positive = Integer.decode(code);
        assertThat(MuLaw.decode((byte) positive)).isEqualTo((short) expected);
        assertThat(MuLaw.decode((byte) (positive & 0x7F))).isEqualTo((short) -expected);
    }

    /** G.711 segment decision levels (14-bit 31, 95, ..., 4063), times four: the last value below and the first in. */
    @ParameterizedTest
    @CsvSource({
        "123, 0xF0, 124, 0xEF",
        "379, 0xE0, 380, 0xDF",
        "891, 0xD0, 892, 0xCF",
        "1915, 0xC0, 1916, 0xBF",
        "3963, 0xB0, 3964, 0xAF",
        "8059, 0xA0, 8060, 0x9F",
        "16251, 0x90, 16252, 0x8F",
    })
    void encodesSegmentBoundaries(int below, String belowCode, int at, String atCode) {
        assertThat(MuLaw.encode((short) below)).isEqualTo((byte) (int) Integer.decode(belowCode));
        assertThat(MuLaw.encode((short) at)).isEqualTo((byte) (int) Integer.decode(atCode));
        assertThat(MuLaw.encode((short) -below)).isEqualTo((byte) (Integer.decode(belowCode) & 0x7F));
        assertThat(MuLaw.encode((short) -at)).isEqualTo((byte) (Integer.decode(atCode) & 0x7F));
    }

    @Test
    void saturatesAtFullScale() {
        assertThat(MuLaw.encode((short) 32635)).isEqualTo((byte) 0x80);
        assertThat(MuLaw.encode(Short.MAX_VALUE)).isEqualTo((byte) 0x80);
        assertThat(MuLaw.encode((short) -32635)).isEqualTo((byte) 0x00);
        assertThat(MuLaw.encode(Short.MIN_VALUE)).isEqualTo((byte) 0x00);
    }

    @Test
    void roundTripErrorStaysWithinHalfAStepOfTheSegment() {
        for (int x = -JAVA_SOUND_OVERFLOW; x <= JAVA_SOUND_OVERFLOW; x++) {
            byte code = MuLaw.encode((short) x);
            int segment = (~code >> 4) & 0x07;
            int halfStep = 4 << segment;
            int error = Math.abs(x - MuLaw.decode(code));
            assertThat(error).as("round-trip error of %d (code 0x%02X)", x, code & 0xFF).isLessThanOrEqualTo(halfStep);
        }
    }

    @Test
    void everyCodeSurvivesDecodeThenEncodeExceptNegativeZero() {
        for (int code = 0; code < 256; code++) {
            byte expected = code == 0x7F ? MuLaw.SILENCE : (byte) code;
            assertThat(MuLaw.encode(MuLaw.decode((byte) code))).as("code 0x%02X", code).isEqualTo(expected);
        }
    }

    @Test
    void decodingIsMonotonicInTheSignedValue() {
        // Negative codes run 0x00 (most negative) .. 0x7F, positive ones 0xFF (zero) down to 0x80.
        List<Short> ordered = new ArrayList<>();
        for (int code = 0x00; code <= 0x7F; code++) {
            ordered.add(MuLaw.decode((byte) code));
        }
        for (int code = 0xFF; code >= 0x80; code--) {
            ordered.add(MuLaw.decode((byte) code));
        }
        assertThat(ordered).isSorted();
        assertThat(ordered.subList(0, 128)).doesNotHaveDuplicates();
        assertThat(ordered.subList(128, 256)).doesNotHaveDuplicates();
    }

    @Test
    void allDecodesMatchJavaSound() throws IOException {
        byte[] codes = new byte[256];
        for (int i = 0; i < 256; i++) {
            codes[i] = (byte) i;
        }
        AudioFormat ulaw = new AudioFormat(AudioFormat.Encoding.ULAW, 8000f, 8, 1, 1, 8000f, false);
        AudioFormat pcm = new AudioFormat(8000f, 16, 1, true, false);
        byte[] decoded = convert(codes, ulaw, pcm);

        assertThat(decoded).hasSize(512);
        for (int i = 0; i < 256; i++) {
            short javaSound = (short) ((decoded[2 * i] & 0xFF) | (decoded[2 * i + 1] << 8));
            assertThat(MuLaw.decode((byte) i)).as("code 0x%02X", i).isEqualTo(javaSound);
        }
    }

    /**
     * All 65536 inputs against Java Sound's encoder. They agree exactly for |pcm| &lt;= 32635. Beyond that
     * (132 positive and 133 negative inputs), Java Sound adds the 0x84 bias in a short, which wraps, and
     * the wrapped value lands in segment 0: 32767 becomes 0xFF (zero) and -32768 becomes 0x7F (zero), so
     * full-scale peaks turn into near-silence. We saturate to the full-scale codes instead; the test pins
     * both behaviours, so any other divergence fails it.
     */
    @Test
    void allEncodesMatchJavaSoundExceptWhereItsShortArithmeticOverflows() throws IOException {
        byte[] pcm = new byte[65536 * 2];
        for (int i = 0; i < 65536; i++) {
            int x = i + Short.MIN_VALUE;
            pcm[2 * i] = (byte) x;
            pcm[2 * i + 1] = (byte) (x >> 8);
        }
        AudioFormat linear = new AudioFormat(8000f, 16, 1, true, false);
        AudioFormat ulaw = new AudioFormat(AudioFormat.Encoding.ULAW, 8000f, 8, 1, 1, 8000f, false);
        byte[] javaSound = convert(pcm, linear, ulaw);

        assertThat(javaSound).hasSize(65536);
        int overflowing = 0;
        for (int i = 0; i < 65536; i++) {
            short x = (short) (i + Short.MIN_VALUE);
            byte ours = MuLaw.encode(x);
            if (Math.abs(x) <= JAVA_SOUND_OVERFLOW) {
                assertThat(ours).as("encode(%d)", x).isEqualTo(javaSound[i]);
            } else {
                overflowing++;
                assertThat(ours).as("encode(%d)", x).isEqualTo(x > 0 ? (byte) 0x80 : (byte) 0x00);
                assertThat(javaSound[i]).as("Java Sound encode(%d)", x).isEqualTo(wrappingEncoder(x));
            }
        }
        assertThat(overflowing).isEqualTo(132 + 133);
    }

    @Test
    void arrayFormsAgreeWithTheScalarOnes() {
        short[] pcm = {0, 1, -1, 100, -100, 5000, -5000, Short.MAX_VALUE, Short.MIN_VALUE};
        byte[] encoded = MuLaw.encode(pcm);
        short[] decoded = MuLaw.decode(encoded);

        assertThat(encoded).hasSameSizeAs(pcm);
        assertThat(decoded).hasSameSizeAs(pcm);
        for (int i = 0; i < pcm.length; i++) {
            assertThat(encoded[i]).isEqualTo(MuLaw.encode(pcm[i]));
            assertThat(decoded[i]).isEqualTo(MuLaw.decode(encoded[i]));
        }
        assertThat(MuLaw.encode(new short[0])).isEmpty();
        assertThat(MuLaw.decode(new byte[0])).isEmpty();
    }

    /** The Sun reference encoder computed in 16-bit arithmetic, as Java Sound's UlawCodec does. */
    private static byte wrappingEncoder(short x) {
        short biased;
        int mask;
        if (x < 0) {
            biased = (short) (0x84 - x);
            mask = 0x7F;
        } else {
            biased = (short) (x + 0x84);
            mask = 0xFF;
        }
        int segment = 0;
        while (segment < 8 && biased > (0x100 << segment) - 1) {
            segment++;
        }
        return (byte) (((segment << 4) | ((biased >> (segment + 3)) & 0x0F)) ^ mask);
    }

    private static byte[] convert(byte[] data, AudioFormat from, AudioFormat to) throws IOException {
        AudioInputStream source = new AudioInputStream(new ByteArrayInputStream(data), from,
                data.length / from.getFrameSize());
        try (AudioInputStream converted = AudioSystem.getAudioInputStream(to, source)) {
            return converted.readAllBytes();
        }
    }
}
