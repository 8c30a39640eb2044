package parley.records;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import parley.call.EndedCall;
import parley.conversation.ConversationHistory.Entry;
import parley.conversation.ConversationHistory.Speaker;
import parley.conversation.SalesScript.Outcome;

import static org.assertj.core.api.Assertions.assertThat;

class OfflineSummaryTest {

    private static final LocalDateTime TUESDAY_TEN = LocalDateTime.of(2026, 11, 24, 10, 0);

    @Test
    void aBookedCallNamesTheMeetingWithEverySlotInTheOrderGiven() {
        Map<String, Object> slots = new LinkedHashMap<>();
        slots.put("email", "jane.doe@example.com");
        slots.put("meeting_time", TUESDAY_TEN);
        EndedCall call = new EndedCall("CA1", "+15550100", "the script ended the call: BOOKED",
                Duration.ofMillis(83_400), Outcome.BOOKED, null, slots, slots, List.of(
                        said(Speaker.AGENT, "Hi, this is Sam from Acme.", false),
                        said(Speaker.CALLER, "It's jane dot doe at example dot com.", false),
                        said(Speaker.AGENT, "And when", true),
                        said(Speaker.CALLER, "Next Tuesday at 10 am works for me.", false),
                        said(Speaker.AGENT, "You're booked.", false)), List.of(), null);

        assertThat(OfflineSummary.write(call)).isEqualTo("A call of 1 min 23 s with +15550100. Outcome: booked."
                + " Meeting booked: email: jane.doe@example.com; meeting time: Tuesday 24 November 2026, 10:00."
                + " The caller spoke 2 times; last words: \"Next Tuesday at 10 am works for me.\""
                + " Next step: hold the meeting as booked.");
    }

    @Test
    void aCallThatEndedBeforeAnOutcomeSaysWhyAndWhatWasGiven() {
        EndedCall call = new EndedCall("CA2", null, "Twilio stopped the stream", Duration.ofMillis(12_600), null,
                null, Map.of("weekly_deliveries", "about forty, by hand."), Map.of(),
                List.of(said(Speaker.CALLER, "about forty a week", false)), List.of(), null);

        assertThat(OfflineSummary.write(call)).isEqualTo("A call of 13 s."
                + " Outcome: none, the call ended first (Twilio stopped the stream)."
                + " The caller gave weekly deliveries: \"about forty, by hand.\"."
                + " The caller spoke once; last words: \"about forty a week\". Next step: call again.");
    }

    @Test
    void aSilentCallerAndATransferAreSaidSo() {
        EndedCall call = new EndedCall("CA3", "+15550101", "transferred to +15550199", Duration.ofSeconds(4),
                null, "+15550199", Map.of(), Map.of(),
                List.of(said(Speaker.AGENT, "Let me put you through.", false)), List.of(), null);

        assertThat(OfflineSummary.write(call)).isEqualTo("A call of 4 s with +15550101."
                + " Outcome: transferred to +15550199. The caller said nothing."
                + " Next step: the person it was transferred to follows up.");
    }

    @Test
    void everyOutcomeHasANextStep() {
        for (Outcome outcome : Outcome.values()) {
            EndedCall call = new EndedCall("CA4", null, "the script ended the call", Duration.ZERO, outcome, null,
                    Map.of(), Map.of(), List.of(), List.of(), null);
            assertThat(OfflineSummary.write(call))
                    .contains("Outcome: " + outcome.name().toLowerCase().replace('_', ' ') + ".")
                    .containsPattern("Next step: [^.]+\\.$");
        }
    }

    @Test
    void datesReadAsDaysAndTimesAsClockTimes() {
        assertThat(OfflineSummary.value(TUESDAY_TEN)).isEqualTo("Tuesday 24 November 2026, 10:00");
        assertThat(OfflineSummary.value(LocalDate.of(2026, 12, 1))).isEqualTo("Tuesday 1 December 2026");
        assertThat(OfflineSummary.value(42)).isEqualTo("42");
    }

    @Test
    void theSameRecordAlwaysGivesTheSameWords() {
        Map<String, Object> slots = new LinkedHashMap<>();
        slots.put("name", "Jane");
        slots.put("team_size", 12);
        slots.put("email", "jane@example.com");
        EndedCall call = new EndedCall("CA5", null, "the socket closed", Duration.ofSeconds(30), null, null,
                slots, Map.of(), List.of(), List.of(), null);

        assertThat(OfflineSummary.write(call)).contains("The caller gave name: Jane; team size: 12; email: jane@example.com.")
                .isEqualTo(OfflineSummary.write(new EndedCall("CA5", null, "the socket closed",
                        Duration.ofSeconds(30), null, null, slots, Map.of(), List.of(), List.of(), null)));
    }

    /** A line as the summary reads it: the record's timeline plays no part there. */
    private static Entry said(Speaker speaker, String text, boolean interrupted) {
        return new Entry(speaker, text, interrupted, text, 0, 0);
    }
}
