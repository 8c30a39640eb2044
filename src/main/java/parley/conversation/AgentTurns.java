package parley.conversation;

import java.util.ArrayList;
import java.util.List;

/**
 * The agent's turns on one call. Work for a turn (rendering speech, streaming a model's answer) is tagged
 * with the turn's number; a barge-in cancels the current turn, which runs its cancel hooks at once and makes
 * anything still in flight for it drop out when it arrives.
 */
public final class AgentTurns {

    private long current;
    private final List<Runnable> cancelHooks = new ArrayList<>();

    /**
     * Starts a new turn and returns its number. Whatever the previous turn still has in flight (a model still
     * writing, a voice still rendering) is cancelled: only one turn's work goes on at a time.
     */
    public long begin() {
        List<Runnable> superseded;
        long turn;
        synchronized (this) {
            superseded = List.copyOf(cancelHooks);
            cancelHooks.clear();
            turn = ++current;
        }
        superseded.forEach(Runnable::run);
        return turn;
    }

    public synchronized boolean isCurrent(long turn) {
        return turn == current;
    }

    /** Registers what stops the turn's work in flight; runs it now if the turn is already over. */
    public void onCancel(long turn, Runnable hook) {
        synchronized (this) {
            if (turn == current) {
                cancelHooks.add(hook);
                return;
            }
        }
        hook.run();
    }

    /** Cancels the current turn: its hooks run, and its work still in flight is dropped. */
    public void cancel() {
        List<Runnable> hooks;
        synchronized (this) {
            current++;
            hooks = List.copyOf(cancelHooks);
            cancelHooks.clear();
        }
        hooks.forEach(Runnable::run);
    }
}
