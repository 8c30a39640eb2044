package parley.call;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import parley.conversation.ConversationHistory;
import parley.conversation.SalesScript;
import parley.conversation.TurnRecord;

/**
 * What a call leaves behind, copied from its session as it ends: the registry forgets the session then, and
 * the records stage works on this long after.
 *
 * @param number        the other party's number, or null when Twilio did not pass it on
 * @param outcome       the script's outcome, or null when the call ended before one
 * @param transferredTo the number the call was handed to, or null
 * @param slots         what the caller gave, in the order it was collected
 * @param meeting       the meeting booked, with the slots it was booked with; empty when none was
 * @param history       what was said, the agent's lines as far as the caller heard them
 * @param turns         how each caller turn was answered
 * @param circumstances how the call came about and was served; null for a call known only by what was said
 */
public record EndedCall(String callSid, String number, String endReason, Duration length,
                        SalesScript.Outcome outcome, String transferredTo, Map<String, Object> slots,
                        Map<String, Object> meeting, List<ConversationHistory.Entry> history,
                        List<TurnRecord> turns, Circumstances circumstances) {

    /**
     * @param direction  {@code inbound}, or Twilio's {@code outbound-api} for a call Parley placed
     * @param lead       the lead an outbound call was placed for ({@code lead} parameter), or null
     * @param campaign   the campaign it belongs to ({@code campaign} parameter), or null
     * @param script     the script's name and version (see {@link SalesScript#version()})
     * @param log        when the call was opened and answered, its events, who served it, its recording
     */
    public record Circumstances(String direction, String from, String to, String lead, String campaign,
                                String script, String scriptVersion, Instant endedAt, CallLog log) {
    }

    public EndedCall {
        slots = ordered(slots);
        meeting = ordered(meeting);
        history = List.copyOf(history);
        turns = List.copyOf(turns);
    }

    static EndedCall of(CallSession call, SalesScript script) {
        Map<String, String> parameters = call.parameters();
        String direction = parameters.getOrDefault("Direction", "inbound");
        Map<String, Object> meeting = call.meeting();
        // One reading of the clock for both: the record's start, end and length agree.
        Instant endedAt = call.log().instantAt(System.nanoTime());
        Circumstances circumstances = new Circumstances(direction, parameters.get("From"), parameters.get("To"),
                parameters.get("lead"), parameters.get("campaign"), script.name(), script.version(), endedAt,
                call.log());
        return new EndedCall(call.callId(), parameters.get(direction.startsWith("outbound") ? "To" : "From"),
                call.endReason(), Duration.between(call.log().openedAt(), endedAt), call.outcome(), call.transferTo(),
                call.slots(),
                meeting == null ? Map.of() : meeting, call.history().entries(), call.turns(), circumstances);
    }

    /** What the caller said, turn by turn. */
    public List<String> callerLines() {
        return history.stream().filter(entry -> entry.speaker() == ConversationHistory.Speaker.CALLER)
                .map(ConversationHistory.Entry::text).toList();
    }

    /** An unmodifiable copy that keeps the order it was given in, so a summary reads the same every time. */
    static Map<String, Object> ordered(Map<String, Object> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
