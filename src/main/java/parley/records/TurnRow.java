package parley.records;

/**
 * A caller turn as its rows in {@code turn_record} and {@code turn_timing}. Moments are epoch milliseconds;
 * a step that did not happen is null. A turn whose answer never reached Twilio has no timing
 * ({@code speechEndedAt} null) and no {@code turn_timing} row.
 */
public record TurnRow(String callSid, int turnNumber, String said, String answeredBy, String model, String reason,
                      String[] sources, boolean begunEarly, Long speechEndedAt, Long stopDetectedAt,
                      Long finalizeSentAt, Long finalReceivedAt, Long verdictAt, Long decidedAt, Long firstTokenAt,
                      Long firstVoiceByteAt, Long firstAudioAt) {

    public boolean timed() {
        return speechEndedAt != null;
    }
}
