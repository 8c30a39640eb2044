package parley.conversation;

import java.util.List;

import parley.hearing.TurnTiming;

/**
 * One caller turn as Parley handled it: what was said, who answered (the script, or which model on which
 * route) and why, what was looked up, whether a model's answer was begun at the caller's pause, before the
 * turn had ended ({@code begunEarly}), and when each step from the caller's last word to the answer's first
 * audio happened ({@code timing}; null until the answer's first audio went to Twilio, and for ever if the
 * caller cut in first).
 *
 * @param model the model that wrote the answer, or null when the script answered
 */
public record TurnRecord(String said, TurnRouter.Route route, String model, String reason, List<String> sources,
                         boolean begunEarly, TurnTiming timing) {

    /** A turn the script answered. */
    public static TurnRecord scripted(String said, String reason) {
        return new TurnRecord(said, TurnRouter.Route.SCRIPTED, null, reason, List.of(), false, null);
    }

    /** A turn a model answered. */
    public static TurnRecord modelled(String said, TurnRouter.Route route, String model, String reason,
                                      List<String> sources, boolean begunEarly) {
        return new TurnRecord(said, route, model, reason, sources, begunEarly, null);
    }

    public TurnRecord timed(TurnTiming answered) {
        return new TurnRecord(said, route, model, reason, sources, begunEarly, answered);
    }
}
