package parley.records;

/** Something that happened on a call, as its row in {@code call_event}. */
public record EventRow(String callSid, int eventNumber, String kind, long atMs, String detail) {
}
