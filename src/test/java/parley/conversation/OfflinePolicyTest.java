package parley.conversation;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/** The sample script followed with no model: caller phrasings that are not the script's own examples. */
class OfflinePolicyTest {

    /** A Wednesday. */
    private static final CallerCalendar TODAY = new CallerCalendar(LocalDate.of(2026, 11, 25), DayOfWeek.SUNDAY);
    private static OfflinePolicy policy;

    @BeforeAll
    static void load() {
        SalesScript script = ScriptLoader.load(new ClassPathResource("scripts/acme-b2b.yaml"));
        var understanding = UnderstandingEvaluation.settings(java.util.List.of()).understanding();
        policy = new OfflinePolicy(script, UnderstandingModel.named(understanding.model()).load(), understanding.tuning(),
                understanding.phraseVectorsFile(understanding.model()));
    }

    @ParameterizedTest(name = "in {0}: \"{1}\" -> {2}")
    @CsvSource(delimiter = '|', value = {
            "greeting      | Yeah sure, I've got a couple of minutes.         | discovery",
            "greeting      | Who is this? What is this about?                 | discovery",
            "greeting      | Sorry, I'm driving, can you ring me later?       | ask_callback_time",
            "greeting      | No, we are not interested, thank you.            | not_interested",
            "greeting      | Please remove my number from your list.          | do_not_call",
            "discovery     | Maybe sixty a week, we plan them all in Excel.   | offer_meeting",
            "discovery     | Sorry, I'm not the one who handles deliveries.   | wrong_person",
            "offer_meeting | Yeah, that could be useful.                      | ask_email",
            "offer_meeting | No, I don't think we need a demo.                | not_interested",
            "greeting      | The weather is lovely in Denver today.           | greeting",
            // Negations: a refusal never read as agreement, and a yes in the words of a no never as a refusal.
            "offer_meeting | I'm not interested in the demo at all.           | not_interested",
            "offer_meeting | Not really interested, no.                       | not_interested",
            "offer_meeting | I wouldn't say no to a demo.                     | ask_email",
            "offer_meeting | I don't mind having a look.                      | ask_email"})
    void followsTheScript(String state, String said, String expected) {
        OfflinePolicy.Decision decision = policy.decide(state, said, Map.of(), TODAY);
        System.out.printf("%-14s %-50s -> %-16s %s%n", state, said, decision.state(), decision.reason());
        assertThat(decision.state()).isEqualTo(expected);
    }

    @Test
    void asksAgainUntilARequiredSlotIsGiven() {
        assertThat(policy.decide("ask_email", "Hmm, let me think.", Map.of(), TODAY).state()).isEqualTo("ask_email");
        OfflinePolicy.Decision given = policy.decide("ask_email", "It's jane dot doe at example dot com.", Map.of(), TODAY);
        assertThat(given.state()).isEqualTo("ask_time");
        assertThat(given.slots()).containsEntry("email", "jane.doe@example.com");

        OfflinePolicy.Decision callBack = policy.decide("ask_callback_time", "Tomorrow at 3 pm.", Map.of(), TODAY);
        assertThat(callBack.state()).isEqualTo("call_back_later");
        assertThat(callBack.slots()).containsEntry("callback_time", LocalDateTime.of(2026, 11, 26, 15, 0));

        OfflinePolicy.Decision booked = policy.decide("ask_time", "Next Tuesday at 10 am works.", given.slots(), TODAY);
        assertThat(booked.state()).isEqualTo("booked");
        assertThat(booked.slots()).containsEntry("meeting_time", LocalDateTime.of(2026, 12, 1, 10, 0))
                .containsEntry("email", "jane.doe@example.com");
    }
}
