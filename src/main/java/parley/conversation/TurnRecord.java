package parley.conversation;

import java.time.Duration;
import java.util.List;

/**
 * One caller turn as Parley handled it: what was said, who answered and why, what was looked up, and how
 * long after the turn ended the first audio of the answer went to Twilio ({@code replyAfter}; null until it
 * has, and for ever if the caller cut in first).
 */
public record TurnRecord(String said, TurnRouter.Route route, String reason, List<String> sources,
                         Duration replyAfter) {

    public TurnRecord(String said, TurnRouter.Route route, String reason, List<String> sources) {
        this(said, route, reason, sources, null);
    }

    public TurnRecord replied(Duration after) {
        return new TurnRecord(said, route, reason, sources, after);
    }
}
