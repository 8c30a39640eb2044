package parley.conversation;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps "the caller heard this many milliseconds of a line" back to the line's words. With word timestamps
 * from the voice the cut is exact; without them each word is given a share of the audio in proportion to its
 * length, which is close enough to cut at the word being spoken.
 */
public final class HeardText {

    /** A word of the line and when it ends in the line's audio. */
    public record TimedWord(String word, long endMs) {
    }

    private static final Pattern WORD = Pattern.compile("\\S+");
    private static final Pattern SENTENCE_END = Pattern.compile("[.!?](\\s+|$)");

    /** A voice's pace, guessed before a line's audio is complete: about 15 characters a second. */
    private static final long MS_PER_CHARACTER = 65;

    private HeardText() {
    }

    /** How long a line's audio will likely be, when the voice has not finished it yet. */
    public static long estimatedMs(String text) {
        return text.length() * MS_PER_CHARACTER;
    }

    /** The words of {@code text} whose audio had fully played by {@code heardMs}. */
    public static String heard(String text, long heardMs, long durationMs, List<TimedWord> timings) {
        if (heardMs >= durationMs) {
            return text;
        }
        if (!timings.isEmpty()) {
            // The timings say how many words were heard; the words themselves are the line's, punctuation kept.
            int heardWords = 0;
            while (heardWords < timings.size() && timings.get(heardWords).endMs() <= heardMs) {
                heardWords++;
            }
            Matcher word = WORD.matcher(text);
            int end = 0;
            for (int i = 0; i < heardWords && word.find(); i++) {
                end = word.end();
            }
            return text.substring(0, end);
        }
        int end = heardCharacters(text, heardMs, durationMs);
        return text.substring(0, end).trim();
    }

    /** Where the heard part of {@code text} ends, cut after the last whole word heard. */
    public static int heardCharacters(String text, long heardMs, long durationMs) {
        double share = durationMs <= 0 ? 1 : (double) heardMs / durationMs;
        double characters = text.replaceAll("\\s+", "").length();
        double played = 0;
        int end = 0;
        Matcher word = WORD.matcher(text);
        while (word.find()) {
            played += word.group().length();
            if (played / characters > share) {
                break;
            }
            end = word.end();
        }
        return end;
    }

    /** What to say again after a false interruption: the line from the start of the sentence that was cut. */
    public static String fromCutSentence(String text, String heard) {
        int cutAt = heard.length();
        int sentenceStart = 0;
        Matcher end = SENTENCE_END.matcher(text);
        while (end.find() && end.start() < cutAt) {
            sentenceStart = end.end();
        }
        return text.substring(sentenceStart).trim();
    }
}
