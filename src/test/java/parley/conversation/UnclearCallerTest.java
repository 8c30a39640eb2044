package parley.conversation;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import parley.call.CallEvent;
import parley.call.CallRegistry;
import parley.simulator.SimulatedCall;
import parley.simulator.SimulationEvent;
import parley.support.RunningParley;
import parley.support.WatchedCall;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Callers the script cannot follow, on whole offline calls: one who says nothing at all, and one whose answers
 * never fit the state. Neither is left on the line: the agent checks in or asks again once, then closes politely
 * with an outcome of its own.
 */
class UnclearCallerTest extends RunningParley {

    @Autowired
    CallRegistry calls;

    @Autowired
    SalesScript script;

    @Autowired
    JdbcTemplate database;

    @Test
    void aCallerWhoSaysNothingIsCheckedOnOnceThenLetGo() throws Exception {
        WatchedCall watched = WatchedCall.place(calls, SimulatedCall.to(mediaUrl().toString())
                .callSid("CAsilent0000000000000000000000001")
                .idleHangup(Duration.ofSeconds(60)).maxDuration(Duration.ofSeconds(60)).build());

        assertThat(watched.session().outcome()).isEqualTo(SalesScript.Outcome.NO_RESPONSE);
        assertThat(agentLines(watched)).containsExactly(script.openingLine(), script.silence().checkIn(),
                script.silence().close());
        assertThat(watched.result().events(SimulationEvent.Closed.class)).singleElement()
                .satisfies(closed -> assertThat(closed.by()).isEqualTo(SimulationEvent.ClosedBy.AGENT));
        assertThat(watched.session().log().events()).filteredOn(event -> event.kind() == CallEvent.Kind.CALLER_SILENT)
                .extracting(CallEvent::detail)
                .containsExactly("the agent checked in", "the agent ended the call after a second silence");
        assertThat(watched.summary(database).text()).contains("Outcome: no response.");
    }

    @Test
    void aCallerWhoseAnswersNeverFitIsAskedAgainOnceThenLetGo() throws Exception {
        WatchedCall watched = WatchedCall.place(calls, SimulatedCall.to(mediaUrl().toString())
                .callSid("CAunclear000000000000000000000001")
                .say("The weather is lovely in Denver today.")
                .say("My cousin keeps pigeons on the roof.")
                .idleHangup(Duration.ofSeconds(5)).maxDuration(Duration.ofSeconds(60)).build());

        assertThat(watched.session().outcome()).isEqualTo(SalesScript.Outcome.NOT_UNDERSTOOD);
        assertThat(agentLines(watched)).containsExactly(script.openingLine(),
                script.states().get("greeting").askAgain(), script.notUnderstood().close());
        assertThat(watched.session().turns()).hasSize(2).allSatisfy(turn ->
                assertThat(turn.route()).isEqualTo(TurnRouter.Route.SCRIPTED));
        assertThat(watched.result().events(SimulationEvent.Closed.class)).singleElement()
                .satisfies(closed -> assertThat(closed.by()).isEqualTo(SimulationEvent.ClosedBy.AGENT));
        assertThat(watched.summary(database).text()).contains("Outcome: not understood.");
    }

    private static List<String> agentLines(WatchedCall watched) {
        return watched.history().stream().filter(entry -> entry.speaker() == ConversationHistory.Speaker.AGENT)
                .map(ConversationHistory.Entry::text).toList();
    }
}
