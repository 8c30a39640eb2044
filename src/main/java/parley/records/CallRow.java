package parley.records;

/**
 * A call as its row in {@code call_record}: slots, meeting and providers already JSON for their {@code jsonb}
 * columns, moments in epoch milliseconds (null when they did not happen).
 */
public record CallRow(String callSid, String direction, String fromNumber, String toNumber, String otherNumber,
                      String leadRef, String campaignRef, String scriptName, String scriptVersion, Long startedAt,
                      Long answeredAt, Long endedAt, String endReason, long lengthMs, String outcome,
                      String transferredTo, String slotsJson, String meetingJson, String summary, String summaryBy,
                      String servedByJson, String recording) {
}
