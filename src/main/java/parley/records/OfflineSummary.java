package parley.records;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

import parley.call.EndedCall;

/**
 * A call's summary written from its record alone, with no model: the same record always gives the same
 * words. It is the summary when no model is configured, the one kept when the model fails or is too slow,
 * and the record the model is shown beside the transcript.
 */
public final class OfflineSummary {

    /** Who a summary written here is said to be by, beside a model's name. */
    public static final String WRITER = "offline";

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);

    private OfflineSummary() {
    }

    public static String write(EndedCall call) {
        StringBuilder summary = new StringBuilder("A call of ").append(length(call.length()));
        if (call.number() != null) {
            summary.append(" with ").append(call.number());
        }
        summary.append(". ").append(outcome(call)).append('.');
        if (!call.meeting().isEmpty()) {
            summary.append(" Meeting booked: ").append(slots(call.meeting())).append('.');
        } else if (!call.slots().isEmpty()) {
            summary.append(" The caller gave ").append(slots(call.slots())).append('.');
        }
        List<String> said = call.callerLines();
        if (said.isEmpty()) {
            summary.append(" The caller said nothing.");
        } else {
            String last = said.get(said.size() - 1);
            summary.append(" The caller spoke ").append(times(said.size())).append("; last words: \"").append(last)
                    .append(last.matches(".*[.?!]$") ? "\"" : "\".");
        }
        return summary.append(" Next step: ").append(nextStep(call)).append('.').toString();
    }

    /** A slot's value as a person reads it: a meeting time as "Tuesday 24 November 2026, 10:00". */
    public static String value(Object value) {
        if (value instanceof LocalDateTime time) {
            return DAY.format(time) + ", " + TIME.format(time);
        }
        return value instanceof LocalDate day ? DAY.format(day) : String.valueOf(value);
    }

    private static String outcome(EndedCall call) {
        if (call.transferredTo() != null) {
            return "Outcome: transferred to " + call.transferredTo();
        }
        if (call.outcome() == null) {
            return "Outcome: none, the call ended first (" + call.endReason() + ")";
        }
        return "Outcome: " + call.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static String nextStep(EndedCall call) {
        if (call.transferredTo() != null) {
            return "the person it was transferred to follows up";
        }
        if (call.outcome() == null) {
            return "call again";
        }
        return switch (call.outcome()) {
            case BOOKED -> "hold the meeting as booked";
            case CALL_BACK_LATER -> "call back later";
            case WRONG_PERSON -> "find the right person to call";
            case NOT_INTERESTED -> "none; the caller is not interested";
            case DO_NOT_CALL -> "put the number on the do-not-call list";
            case NOT_UNDERSTOOD -> "call again, or have a person call: the agent could not follow the caller";
            case NO_RESPONSE -> "call again: the caller stopped answering";
        };
    }

    /** Free text is quoted, so that a caller's own commas and full stops do not run into the list. */
    private static String slots(Map<String, Object> slots) {
        StringJoiner joined = new StringJoiner("; ");
        slots.forEach((name, value) -> {
            String text = value(value);
            joined.add(name.replace('_', ' ') + ": " + (text.matches(".*\\s.*") && value instanceof String
                    ? "\"" + text + "\"" : text));
        });
        return joined.toString();
    }

    private static String length(Duration length) {
        long seconds = Math.round(length.toMillis() / 1000.0);
        return seconds < 60 ? seconds + " s" : seconds / 60 + " min " + seconds % 60 + " s";
    }

    private static String times(int turns) {
        return turns == 1 ? "once" : turns + " times";
    }
}
