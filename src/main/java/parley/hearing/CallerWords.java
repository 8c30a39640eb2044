package parley.hearing;

import java.util.ArrayList;
import java.util.List;

/**
 * The words recognised of the caller on one call, placed on the stream timeline: final results kept, the
 * latest interim result replacing the one before. Turn-taking asks which words were said since a moment.
 * Touched only on the call's lane.
 */
public final class CallerWords {

    /** One recognised word, with where it starts in the call's audio. */
    public record Word(String text, long startMs) {
    }

    private static final int KEPT_FINAL_WORDS = 512;

    private final List<Word> finals = new ArrayList<>();
    private List<Word> interim = List.of();
    private long heardThroughMs;
    private long finalizeAskedAtMs = -1;

    /**
     * A result from the recognizer: finals accumulate, an interim replaces the previous interim.
     *
     * @param fromFinalize the result answers a Finalize: it covers all the audio up to where that was asked
     * @param throughMs where the audio the result covers ends: the words before it are all in
     */
    public void heard(List<Word> words, boolean isFinal, boolean fromFinalize, long throughMs) {
        heardThroughMs = Math.max(heardThroughMs, throughMs);
        if (fromFinalize) {
            // Finalize flushes all the audio sent before it: nothing before that point is still to come.
            heardThroughMs = Math.max(heardThroughMs, finalizeAskedAtMs);
        }
        if (isFinal) {
            finals.addAll(words);
            interim = List.of();
            if (finals.size() > KEPT_FINAL_WORDS) {
                finals.subList(0, finals.size() - KEPT_FINAL_WORDS).clear();
            }
        } else {
            interim = List.copyOf(words);
        }
    }

    /** The recognizer was asked to finalize the audio up to {@code atMs}. */
    public void finalizeAsked(long atMs) {
        finalizeAskedAtMs = atMs;
    }

    /** How far into the call the recognizer has given its words: an interim result counts, it covers its audio. */
    public long heardThroughMs() {
        return heardThroughMs;
    }

    /** Words that started at or after {@code ms}, finals then the current interim. */
    public List<String> since(long ms) {
        List<String> words = new ArrayList<>();
        for (Word word : finals) {
            if (word.startMs() >= ms) {
                words.add(word.text());
            }
        }
        for (Word word : interim) {
            if (word.startMs() >= ms) {
                words.add(word.text());
            }
        }
        return words;
    }

    /** Where the first word at or after {@code ms} starts (finals, then the interim); -1 when there is none. */
    public long firstStartSince(long ms) {
        for (List<Word> words : List.of(finals, interim)) {
            for (Word word : words) {
                if (word.startMs() >= ms) {
                    return word.startMs();
                }
            }
        }
        return -1;
    }
}
