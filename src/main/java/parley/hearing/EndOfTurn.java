package parley.hearing;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How long to wait in silence before the caller's turn is over, from what they have said so far. A complete
 * sentence gets a short wait; a phone number, an email address, a list or a sentence left hanging on a comma,
 * "and", "so" or "um" gets a long one, because the caller is still in the middle of it. With no words yet, a middle wait.
 */
public final class EndOfTurn {

    /**
     * Why a turn ended when it did: by the words alone, or (the last two) by the turn model's hearing with the
     * words: finished as heard, or heard in mid-sentence and waited out.
     */
    public enum Reason { COMPLETE_SENTENCE, UNFINISHED, NO_WORDS_YET, UNCLEAR, HEARD_COMPLETE, HEARD_UNFINISHED }

    public record Waits(long completeMs, long unfinishedMs, long unclearMs) {
    }

    /** Words after which a sentence cannot be over. */
    private static final Set<String> HANGING = Set.of(
            "and", "so", "but", "or", "because", "um", "uh", "er", "erm", "hmm", "like", "the", "a", "an", "to",
            "of", "in", "on", "at", "for", "with", "my", "our", "your", "is", "was", "it's", "i'm", "if", "then",
            "that", "which", "who", "about", "well");
    private static final Pattern DIGITS = Pattern.compile(".*\\d[\\d\\s().+-]*$");
    private static final Set<String> SPOKEN_DIGITS = Set.of(
            "zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "double", "triple");
    private static final Pattern EMAIL_UNDERWAY = Pattern.compile(".*(@|\\bat\\b|\\bdot\\b)\\s*[\\w.-]*$");
    private static final Pattern EDGE_PUNCTUATION = Pattern.compile("^[^\\p{L}\\p{N}@']+|[^\\p{L}\\p{N}']+$");
    private static final Pattern EMAIL_DONE = Pattern.compile(".*[\\w.-]+@[\\w-]+\\.[a-z]{2,}\\W*$");

    private final Waits waits;

    public EndOfTurn(Waits waits) {
        this.waits = waits;
    }

    public record Decision(Reason reason, long waitMs) {
    }

    public Decision decide(List<String> words) {
        if (words.isEmpty()) {
            return new Decision(Reason.NO_WORDS_YET, waits.unclearMs());
        }
        String text = String.join(" ", words).trim();
        String lower = text.toLowerCase(Locale.ROOT);
        String last = bare(words.get(words.size() - 1));
        // The recognizer's punctuation settles it: "What is this about?" ends on a preposition and is complete.
        if (text.endsWith(".") || text.endsWith("?") || text.endsWith("!")) {
            return new Decision(Reason.COMPLETE_SENTENCE, waits.completeMs());
        }
        // A comma is the recognizer hearing a list or a clause that goes on ("trucks, vans,").
        if (text.endsWith(",") || HANGING.contains(last) || midNumber(lower, last) || midEmail(lower)) {
            return new Decision(Reason.UNFINISHED, waits.unfinishedMs());
        }
        return new Decision(Reason.UNCLEAR, waits.unclearMs());
    }

    private static boolean midNumber(String lower, String last) {
        // A number read out ends in digits; a phone number is read in groups with pauses between.
        return DIGITS.matcher(lower).matches() || SPOKEN_DIGITS.contains(last);
    }

    private static boolean midEmail(String lower) {
        return EMAIL_UNDERWAY.matcher(lower).matches() && !EMAIL_DONE.matcher(lower).matches();
    }

    static String bare(String word) {
        return EDGE_PUNCTUATION.matcher(word.toLowerCase(Locale.ROOT)).replaceAll("");
    }
}
