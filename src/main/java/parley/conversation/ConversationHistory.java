package parley.conversation;

import java.util.ArrayList;
import java.util.List;

/**
 * What was said on a call, as the caller experienced it: the agent's lines only as far as the caller heard
 * them. A line cut by a barge-in is kept up to the last word played and flagged as interrupted, so nothing
 * downstream (a model's prompt, the call record) believes the caller heard more.
 */
public final class ConversationHistory {

    public enum Speaker { AGENT, CALLER }

    public record Entry(Speaker speaker, String text, boolean interrupted) {
    }

    private static final int KEPT = 200;

    private final List<Entry> entries = new ArrayList<>();

    public synchronized void agentSaid(String text) {
        add(new Entry(Speaker.AGENT, text, false));
    }

    public synchronized void agentCut(String heardText) {
        add(new Entry(Speaker.AGENT, heardText, true));
    }

    public synchronized void callerSaid(String text) {
        add(new Entry(Speaker.CALLER, text, false));
    }

    /**
     * The caller went on with the turn the agent had begun to answer: their last entry, and what the agent
     * said after it, are taken back; the turn, when it ends, is written again whole.
     */
    public synchronized void reopenCallerTurn() {
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).speaker() == Speaker.CALLER) {
                entries.subList(i, entries.size()).clear();
                return;
            }
        }
    }

    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    private void add(Entry entry) {
        if (entries.size() == KEPT) {
            entries.remove(0);
        }
        entries.add(entry);
    }
}
