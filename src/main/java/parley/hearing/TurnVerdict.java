package parley.hearing;

/** What the turn model heard at the pause that began at {@code stoppedAtMs}: a finished turn or not. */
public record TurnVerdict(long stoppedAtMs, boolean complete) {
}
