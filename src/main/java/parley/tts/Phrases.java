package parley.tts;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts text into the phrases a streaming voice is fed: whole sentences, and long sentences at their commas,
 * so that the first phrase is short enough to be spoken while the rest is still on its way.
 */
public final class Phrases {

    private static final Pattern BOUNDARY = Pattern.compile("[.!?](\\s+|$)|[,;:]\\s+");
    /** Shorter pieces are joined to the next: a voice says "Yes, " badly on its own. */
    private static final int SHORTEST = 12;

    private Phrases() {
    }

    /** Cuts text that arrives in pieces: each phrase is handed over as soon as its end has arrived. */
    public static final class Assembler {
        private final StringBuilder pending = new StringBuilder();

        /** The phrases completed by this piece of text. */
        public List<String> add(String more) {
            pending.append(more);
            List<String> complete = new ArrayList<>();
            Matcher boundary = BOUNDARY.matcher(pending);
            int start = 0;
            // A boundary at the very end may still grow ("3." before "5"), so only an inner one counts.
            while (boundary.find() && boundary.end() < pending.length()) {
                if (boundary.end() - start >= SHORTEST) {
                    complete.add(pending.substring(start, boundary.end()));
                    start = boundary.end();
                }
            }
            pending.delete(0, start);
            return complete;
        }

        /** What is left once the text is complete. */
        public String rest() {
            String rest = pending.toString();
            pending.setLength(0);
            return rest;
        }
    }

    public static List<String> split(String text) {
        List<String> phrases = new ArrayList<>();
        Matcher boundary = BOUNDARY.matcher(text);
        int start = 0;
        while (boundary.find()) {
            if (boundary.end() - start >= SHORTEST) {
                phrases.add(text.substring(start, boundary.end()));
                start = boundary.end();
            }
        }
        if (start < text.length()) {
            phrases.add(text.substring(start));
        }
        return phrases;
    }
}
