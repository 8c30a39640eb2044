package parley.records;

/** A line of the conversation as its row in {@code call_line}; times on the call's timeline. */
public record LineRow(String callSid, int lineNumber, String speaker, String said, String heard,
                      boolean interrupted, long startMs, long endMs) {
}
