package parley.conversation;

import java.util.Map;

import parley.call.CallSession;

/** Moves a call through its script: the new state, the slots collected, and what ending there means. */
public final class ScriptMoves {

    private ScriptMoves() {
    }

    /**
     * Takes the call to {@code to} with the slots collected, and returns the line to say: the new state's first
     * line, or the state's ask-again line when the call stays where it was.
     */
    public static String advance(CallSession call, SalesScript script, String to, Map<String, Object> slots) {
        boolean moved = !to.equals(call.scriptState());
        call.slots(slots);
        call.scriptState(to);
        SalesScript.State next = script.states().get(to);
        if (next.action() == SalesScript.Action.BOOK_MEETING) {
            call.bookMeeting(call.slots());
        }
        if (next.action() == SalesScript.Action.TRANSFER) {
            call.transferAfterSpeaking(next.transferTo());
        } else if (next.terminal()) {
            call.conclude(next.outcome());
        }
        return ScriptLines.forCall(moved ? next.say().get(0) : next.askAgain(), call.parameters());
    }
}
