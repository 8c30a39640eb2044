package parley.support;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import parley.audio.OfflineVoice;

/**
 * A caller's voice Parley never speaks in: the offline voice at another rate, shifted in pitch (and pace) by
 * resampling. Benchmarks and tests that must not be tuned to the voice they measure speak through these.
 */
public record OtherVoice(String name, float wordsPerMinute, double pitch) {

    /** Each line in this voice, 16-bit PCM at 8 kHz. */
    public Map<String, short[]> speak(Collection<String> lines) {
        Map<String, short[]> spoken = new LinkedHashMap<>();
        try (OfflineVoice speaker = new OfflineVoice(wordsPerMinute)) {
            for (String line : lines) {
                spoken.put(line, shifted(speaker.speakPcm8k(line), pitch));
            }
        }
        return spoken;
    }

    /** Pitch and pace up by {@code factor} (down below 1): the samples read that much faster. */
    public static short[] shifted(short[] samples, double factor) {
        short[] out = new short[(int) (samples.length / factor)];
        for (int i = 0; i < out.length; i++) {
            double at = i * factor;
            int before = (int) at;
            int after = Math.min(before + 1, samples.length - 1);
            double frac = at - before;
            out[i] = (short) Math.round(samples[before] * (1 - frac) + samples[after] * frac);
        }
        return out;
    }
}
