package parley.knowledge;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Cuts a Markdown or plain-text document into passages of a few sentences.
 *
 * <p>A passage never crosses a heading or a paragraph, so that what the agent is handed stays on one
 * topic; a long paragraph is cut every {@link #MAX_SENTENCES} sentences or {@link #MAX_CHARS}
 * characters, whichever comes first. Each list item counts as a sentence, because items rarely end
 * with a full stop.
 */
public final class MarkdownPassages {

    /** Enough for an answer plus its reason, short enough that MiniLM (256 word pieces) sees all of it. */
    static final int MAX_SENTENCES = 3;
    static final int MAX_CHARS = 600;

    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern LIST_ITEM = Pattern.compile("^\\s*(?:[-*+]|\\d+[.)])\\s+(.*)$");
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+(?=[\"'(\\p{Lu}\\d])");

    private MarkdownPassages() {
    }

    /**
     * @param path the document's path inside the knowledge folder, with {@code /} separators; it
     *     becomes the start of each passage's source
     */
    public static List<Passage> split(String path, String document) {
        List<Passage> passages = new ArrayList<>();
        String heading = "";
        List<String> sentences = new ArrayList<>();
        boolean inList = false;
        boolean inFence = false;
        for (String rawLine : document.split("\\R", -1)) {
            String line = rawLine.strip();
            if (line.startsWith("```")) {
                // Code samples read badly aloud; they are left out rather than mixed into prose.
                inFence = !inFence;
                flush(passages, path, heading, sentences);
                continue;
            }
            if (inFence) {
                continue;
            }
            var headingMatch = HEADING.matcher(line);
            if (headingMatch.matches()) {
                flush(passages, path, heading, sentences);
                heading = headingMatch.group(1);
                inList = false;
                continue;
            }
            if (line.isEmpty()) {
                flush(passages, path, heading, sentences);
                inList = false;
                continue;
            }
            var item = LIST_ITEM.matcher(line);
            if (item.matches()) {
                if (!inList) {
                    flush(passages, path, heading, sentences);
                    inList = true;
                }
                sentences.add(item.group(1));
            } else if (inList && !sentences.isEmpty()) {
                // A wrapped list item continues the item above it.
                int last = sentences.size() - 1;
                sentences.set(last, sentences.get(last) + " " + line);
            } else {
                appendProse(sentences, line);
            }
        }
        flush(passages, path, heading, sentences);
        return passages;
    }

    /** The id a passage gets: the same source and text always give the same UUID. */
    public static String idFor(String source, String text) {
        return UUID.nameUUIDFromBytes((source + "\n" + text).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The heading part of a passage's source, or empty for text that sits under no heading. */
    public static String headingOf(String source) {
        int mark = source.indexOf('#');
        return mark < 0 ? "" : source.substring(mark + 1);
    }

    private static void appendProse(List<String> sentences, String line) {
        String[] parts = SENTENCE_END.split(line);
        int first = 0;
        if (!sentences.isEmpty() && !endsSentence(sentences.get(sentences.size() - 1))) {
            // The paragraph was wrapped mid-sentence: the line's first part finishes that sentence.
            int last = sentences.size() - 1;
            sentences.set(last, sentences.get(last) + " " + parts[0]);
            first = 1;
        }
        for (int i = first; i < parts.length; i++) {
            sentences.add(parts[i]);
        }
    }

    private static boolean endsSentence(String sentence) {
        char end = sentence.charAt(sentence.length() - 1);
        return end == '.' || end == '!' || end == '?' || end == '"' || end == '\'' || end == ')';
    }

    private static void flush(List<Passage> passages, String path, String heading, List<String> sentences) {
        String source = heading.isEmpty() ? path : path + "#" + heading;
        StringBuilder text = new StringBuilder();
        int count = 0;
        for (String sentence : sentences) {
            if (count > 0 && (count == MAX_SENTENCES || text.length() + 1 + sentence.length() > MAX_CHARS)) {
                add(passages, source, text);
                text.setLength(0);
                count = 0;
            }
            if (count > 0) {
                text.append(' ');
            }
            text.append(sentence);
            count++;
        }
        if (count > 0) {
            add(passages, source, text);
        }
        sentences.clear();
    }

    private static void add(List<Passage> passages, String source, StringBuilder text) {
        String body = text.toString();
        passages.add(new Passage(idFor(source, body), source, body));
    }
}
