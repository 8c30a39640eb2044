package parley.conversation;

import java.util.List;

/** One caller turn as Parley handled it: what was said, who answered and why, and what was looked up. */
public record TurnRecord(String said, TurnRouter.Route route, String reason, List<String> sources) {
}
