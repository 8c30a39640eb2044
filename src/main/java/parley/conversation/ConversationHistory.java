package parley.conversation;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What was said on a call, as the caller experienced it: the agent's lines only as far as the caller heard
 * them. A line cut by a barge-in is kept up to the last word played and flagged as interrupted, so nothing
 * downstream (a model's prompt, the call record) believes the caller heard more. Each entry keeps when it
 * was said, in milliseconds on the call's timeline.
 */
public final class ConversationHistory {

    public enum Speaker { AGENT, CALLER }

    /**
     * @param text what the caller said, or heard of the agent's line
     * @param line what the speaker meant to say: the agent's whole line, cut or not; the caller's words
     */
    public record Entry(Speaker speaker, String text, boolean interrupted, String line, long startMs, long endMs) {
    }

    /** About an hour of conversation; a model's prompt takes only the latest of it. */
    private static final int KEPT = 1_000;

    private final List<Entry> entries = new ArrayList<>();
    private final Consumer<Entry> onLine;
    private final Runnable onReopened;

    /** A history that tells {@code onLine} of each line as it is kept, and {@code onReopened} of each reopening. */
    public ConversationHistory(Consumer<Entry> onLine, Runnable onReopened) {
        this.onLine = onLine;
        this.onReopened = onReopened;
    }

    public synchronized void agentSaid(String line, long startMs, long endMs) {
        add(new Entry(Speaker.AGENT, line, false, line, startMs, endMs));
    }

    public synchronized void agentCut(String heardText, String line, long startMs, long endMs) {
        add(new Entry(Speaker.AGENT, heardText, true, line, startMs, endMs));
    }

    public synchronized void callerSaid(String text, long startMs, long endMs) {
        add(new Entry(Speaker.CALLER, text, false, text, startMs, endMs));
    }

    /**
     * The caller went on with the turn the agent had begun to answer: their last entry, and what the agent
     * said after it, are taken back; the turn, when it ends, is written again whole.
     */
    public synchronized void reopenCallerTurn() {
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).speaker() == Speaker.CALLER) {
                entries.subList(i, entries.size()).clear();
                onReopened.run();
                return;
            }
        }
    }

    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** The last {@code count} entries, or all when there are fewer. */
    public synchronized List<Entry> latest(int count) {
        return List.copyOf(entries.subList(Math.max(0, entries.size() - count), entries.size()));
    }

    private void add(Entry entry) {
        if (entries.size() == KEPT) {
            entries.remove(0);
        }
        entries.add(entry);
        onLine.accept(entry);
    }
}
