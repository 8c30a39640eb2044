package parley.simulator;

import java.util.Arrays;
import parley.audio.MuLaw;

/** Distinct, easily recognised test signals. */
final class TestAudio {

    private TestAudio() {}

    /** A sine tone at 8 kHz, loud enough that no 20 ms frame of it is mu-law silence. */
    static short[] tone(int ms, double hz) {
        short[] pcm = new short[ms * 8];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) Math.round(8000 * Math.sin(2 * Math.PI * hz * i / 8000.0 + 0.5));
        }
        return pcm;
    }

    static byte[] toneMuLaw(int ms, double hz) {
        return MuLaw.encode(tone(ms, hz));
    }

    static byte[] slice(byte[] bytes, int from, int to) {
        return Arrays.copyOfRange(bytes, from, to);
    }

    static short[] slice(short[] samples, int from, int to) {
        return Arrays.copyOfRange(samples, from, to);
    }

    static boolean silent(short[] samples) {
        for (short s : samples) {
            if (s != 0) {
                return false;
            }
        }
        return true;
    }

    static boolean silent(byte[] muLaw) {
        for (byte b : muLaw) {
            if (b != MuLaw.SILENCE) {
                return false;
            }
        }
        return true;
    }
}
