package parley.conversation;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import parley.call.CallEvent;
import parley.call.CallRegistry;
import parley.hearing.TurnTiming;
import parley.records.OfflineSummary;
import parley.simulator.SimulatedCall;
import parley.telephony.FrameProblem;
import parley.telephony.FrameRejections;
import parley.simulator.SimulationEvent;
import parley.support.RunningParley;
import parley.support.WatchedCall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The offline default from greeting to a booked meeting: the sandbox recognizer, the offline policy, the
 * offline voice, the offline summary. The caller's phrasings are not the script's examples.
 */
class OfflineConversationTest extends RunningParley {

    @Autowired
    CallRegistry calls;

    @Autowired
    SalesScript script;

    @Autowired
    FrameRejections rejections;

    @Autowired
    JdbcTemplate database;

    @Test
    void aWholeCallEndsWithABookedMeeting() throws Exception {
        double rejectedBefore = rejections.count(FrameProblem.MEDIA_BEFORE_START);
        WatchedCall watched = WatchedCall.place(calls, SimulatedCall.to(mediaUrl().toString())
                .callSid("CAbooked000000000000000000000001")
                .say("Sure, what's this about?")
                .say("We do maybe forty deliveries a week, planned in a spreadsheet.")
                .say("Yeah, that could be useful.")
                .say("It's jane dot doe at example dot com.")
                .say("Next Tuesday at 10 am works for me.")
                .idleHangup(Duration.ofSeconds(5)).maxDuration(Duration.ofSeconds(90)).build());

        assertThat(watched.session().outcome()).isEqualTo(SalesScript.Outcome.BOOKED);
        // Said on Wednesday 25 November, the fixed day of every whole-call test.
        LocalDateTime meetingTime = LocalDateTime.of(2026, 12, 1, 10, 0);
        assertThat(watched.session().meeting())
                .containsEntry("email", "jane.doe@example.com")
                .containsEntry("meeting_time", meetingTime);

        List<String> agentSaid = watched.history().stream()
                .filter(entry -> entry.speaker() == ConversationHistory.Speaker.AGENT)
                .map(ConversationHistory.Entry::text).toList();
        assertThat(agentSaid).containsExactly(
                script.openingLine(),
                script.states().get("discovery").say().get(0),
                script.states().get("offer_meeting").say().get(0),
                script.states().get("ask_email").say().get(0),
                script.states().get("ask_time").say().get(0),
                script.states().get("booked").say().get(0));
        assertThat(watched.result().events(SimulationEvent.Closed.class)).singleElement()
                .satisfies(closed -> assertThat(closed.by()).isEqualTo(SimulationEvent.ClosedBy.AGENT));
        assertThat(watched.result().events(SimulationEvent.CallerSpeechStop.class)).hasSize(5);
        assertThat(watched.session().turns()).hasSize(5).allSatisfy(turn -> {
            assertThat(turn.route()).isEqualTo(TurnRouter.Route.SCRIPTED);
            TurnTiming timing = turn.timing();
            assertThat(timing).as("the answer's first audio went out").isNotNull();
            assertThat(timing.stopDetectedMs()).as("the silence is seen after it began").isPositive();
            assertThat(timing.finalizeSentMs()).isGreaterThanOrEqualTo(timing.stopDetectedMs());
            assertThat(timing.decidedMs()).isGreaterThanOrEqualTo(timing.stopDetectedMs());
            assertThat(timing.firstAudioMs()).isGreaterThanOrEqualTo(timing.decidedMs());
        });
        assertThat(rejections.count(FrameProblem.MEDIA_BEFORE_START))
                .as("the caller's frames in flight when the agent hung up are no fault").isEqualTo(rejectedBefore);

        WatchedCall.Summary summary = watched.summary(database);
        assertThat(summary.writer()).isEqualTo(OfflineSummary.WRITER);
        assertThat(summary.text()).contains("Outcome: booked.")
                .contains("email: jane.doe@example.com")
                .contains("meeting time: " + OfflineSummary.value(meetingTime) + ".")
                .contains("The caller spoke 5 times; last words: \"Next Tuesday at 10 am works for me.\"")
                .endsWith("Next step: hold the meeting as booked.");
    }

    @Test
    void pressingNineDuringTheGreetingEndsTheCallWithDoNotCall() throws Exception {
        WatchedCall watched = WatchedCall.place(calls, SimulatedCall.to(mediaUrl().toString())
                .callSid("CAdonotcall0000000000000000000001")
                .parameter("From", "+15550100999")
                .dtmf('9', 2000)
                .idleHangup(Duration.ofSeconds(5)).maxDuration(Duration.ofSeconds(30)).build());

        assertThat(watched.session().outcome()).isEqualTo(SalesScript.Outcome.DO_NOT_CALL);
        assertThat(watched.result().clears()).as("the greeting is cut at the key").isEqualTo(1);
        List<ConversationHistory.Entry> agent = watched.history();
        assertThat(agent.get(0).interrupted()).isTrue();
        assertThat(agent.get(agent.size() - 1).text()).isEqualTo(script.states().get("do_not_call").say().get(0));
        assertThat(watched.result().events(SimulationEvent.Closed.class)).singleElement()
                .satisfies(closed -> assertThat(closed.by()).isEqualTo(SimulationEvent.ClosedBy.AGENT));
        assertThat(watched.session().log().events()).extracting(CallEvent::kind, CallEvent::detail)
                .contains(tuple(CallEvent.Kind.KEY_PRESSED, "9"));
        assertThat(Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> database.queryForList(
                "SELECT reason FROM do_not_call WHERE phone = '+15550100999'", String.class), reasons -> !reasons.isEmpty()))
                .as("never called again").containsExactly("asked on call CAdonotcall0000000000000000000001");
        assertThat(watched.summary(database).text()).contains("Outcome: do not call.")
                .contains("The caller said nothing.");
    }
}
