package parley.conversation;

import java.util.List;

import parley.hearing.TurnTiming;

/**
 * One caller turn as Parley handled it: what was said, who answered and why, what was looked up, whether a
 * model's answer was begun at the caller's pause, before the turn had ended ({@code begunEarly}), and when
 * each step from the caller's last word to the answer's first audio happened ({@code timing}; null until the
 * answer's first audio went to Twilio, and for ever if the caller cut in first).
 */
public record TurnRecord(String said, TurnRouter.Route route, String reason, List<String> sources,
                         boolean begunEarly, TurnTiming timing) {

    public TurnRecord(String said, TurnRouter.Route route, String reason, List<String> sources) {
        this(said, route, reason, sources, false, null);
    }

    public TurnRecord(String said, TurnRouter.Route route, String reason, List<String> sources,
                      boolean begunEarly) {
        this(said, route, reason, sources, begunEarly, null);
    }

    public TurnRecord timed(TurnTiming answered) {
        return new TurnRecord(said, route, reason, sources, begunEarly, answered);
    }
}
