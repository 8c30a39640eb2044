package parley.records;

/**
 * A caller turn as its row in {@code turn_record}; the timing columns are null for a step that did not happen.
 */
public record TurnRow(String callSid, int turnNumber, String said, String answeredBy, String reason,
                      String[] sources, boolean begunEarly, Long stopDetectedMs, Long finalizeSentMs,
                      Long finalReceivedMs, Long verdictMs, Long decidedMs, Long firstAudioMs) {
}
