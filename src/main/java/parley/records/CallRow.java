package parley.records;

/** A call as its row in {@code call_record}: slots and meeting already JSON for their {@code jsonb} columns. */
public record CallRow(String callSid, String otherNumber, String endReason, long lengthMs, String outcome,
                      String transferredTo, String slotsJson, String meetingJson) {
}
