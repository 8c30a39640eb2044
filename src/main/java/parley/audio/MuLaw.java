package parley.audio;

/**
 * ITU-T G.711 mu-law codec on 16-bit linear PCM, the payload format of Twilio Media Streams.
 *
 * <p>The encoder is the classic CCITT/Sun formulation on 16-bit samples (bias 0x84, clip at 32635),
 * which is G.711's 14-bit quantiser scaled by four: every decoded value is the midpoint of its
 * decision interval, so the round-trip error never exceeds half a step of the sample's segment.
 * Inputs beyond the clip level saturate to the full-scale codes 0x80 and 0x00. This is where we
 * part from {@code javax.sound.sampled}: its encoder adds the bias in {@code short} arithmetic,
 * which wraps for |pcm| &gt; 32635 and turns full-scale peaks into near-zero codes.
 */
public final class MuLaw {

    /** The code for linear zero; what a silent frame is filled with. */
    public static final byte SILENCE = (byte) 0xFF;

    private static final int BIAS = 0x84;
    private static final int CLIP = 32635;

    /** Decoding is a pure function of 256 codes, so a lookup beats recomputing it per sample. */
    private static final short[] DECODE = new short[256];

    static {
        for (int code = 0; code < 256; code++) {
            int u = ~code & 0xFF;
            int magnitude = ((((u & 0x0F) << 3) + BIAS) << ((u >> 4) & 0x07)) - BIAS;
            DECODE[code] = (short) ((u & 0x80) != 0 ? -magnitude : magnitude);
        }
    }

    private MuLaw() {
    }

    public static byte encode(short pcm) {
        int sign = pcm >> 31;
        int magnitude = Math.min((pcm ^ sign) - sign, CLIP) + BIAS;
        // The biased magnitude lies in [0x84, 0x7FFF], so its top bit (7..14) names the segment directly.
        int segment = 24 - Integer.numberOfLeadingZeros(magnitude);
        int mantissa = (magnitude >> (segment + 3)) & 0x0F;
        // G.711 transmits codes inverted; the sign bit ends up set for non-negative samples.
        int mask = 0x7F | (~sign & 0x80);
        return (byte) (((segment << 4) | mantissa) ^ mask);
    }

    public static short decode(byte ulaw) {
        return DECODE[ulaw & 0xFF];
    }

    /** How loud a stretch of mu-law audio is: its mean power in dB below full scale. */
    public static float loudnessDb(byte[] ulaw, int offset, int length) {
        double energy = 0;
        for (int i = offset; i < offset + length; i++) {
            double sample = DECODE[ulaw[i] & 0xFF] / 32768.0;
            energy += sample * sample;
        }
        return decibels(energy, length);
    }

    /** Mean power in dBFS of {@code samples} samples (in [-1, 1]) whose squares sum to {@code energy}. */
    public static float decibels(double energy, int samples) {
        return (float) (10 * Math.log10(energy / Math.max(1, samples) + 1e-10));
    }

    public static byte[] encode(short[] pcm) {
        byte[] out = new byte[pcm.length];
        for (int i = 0; i < pcm.length; i++) {
            out[i] = encode(pcm[i]);
        }
        return out;
    }

    public static short[] decode(byte[] ulaw) {
        short[] out = new short[ulaw.length];
        for (int i = 0; i < ulaw.length; i++) {
            out[i] = DECODE[ulaw[i] & 0xFF];
        }
        return out;
    }
}
