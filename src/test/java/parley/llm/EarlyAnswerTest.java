package parley.llm;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import parley.call.CallRegistry;
import parley.conversation.ConversationHistory;
import parley.conversation.TurnRecord;
import parley.simulator.CallerLine;
import parley.simulator.SimulatedCall;
import parley.support.RunningParley;
import parley.support.WatchedCall;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A model's answer begun at the caller's pause, while the end of their turn is still being judged: taken over
 * when the turn ends with the same words, cancelled unheard when the caller goes on. The turn model is off and
 * a complete sentence waits 800 ms, so that the pause always outlasts the recognizer's words.
 */
class EarlyAnswerTest extends RunningParley {

    private static final OpenAiStandIn MODEL = OpenAiStandIn.started();
    private static final String SAY = "It is 29 dollars per vehicle per month.";

    @DynamicPropertySource
    static void model(DynamicPropertyRegistry registry) {
        registry.add("parley.llm.base-url", () -> MODEL.baseUrl());
        registry.add("parley.llm.api-key", () -> "test-key");
        registry.add("parley.hearing.turn-model.enabled", () -> "false");
        registry.add("parley.hearing.end-of-turn.complete-sentence", () -> "800ms");
    }

    @AfterAll
    static void stop() {
        MODEL.close();
    }

    @Autowired
    CallRegistry calls;

    @Autowired
    JdbcTemplate database;

    @Test
    void theAnswerBegunAtThePauseIsTheOneTheCallerHears() throws Exception {
        int before = MODEL.requests().size();
        MODEL.script(answer(), new OpenAiStandIn.Failure(500, "server_error", "no summary"));

        WatchedCall watched = WatchedCall.place(calls, SimulatedCall.to(mediaUrl().toString())
                .callSid("CAearly000000000000000000000001")
                .say("How much does it cost?")
                .idleHangup(Duration.ofSeconds(2)).maxDuration(Duration.ofSeconds(30)).build());
        watched.summary(database);

        TurnRecord turn = watched.session().turns().get(0);
        assertThat(turn.begunEarly()).as("begun before the turn ended, and taken over").isTrue();
        assertThat(MODEL.requests()).as("one answer and the summary").hasSize(before + 2);
        assertThat(watched.history()).extracting(ConversationHistory.Entry::text).contains(SAY);
    }

    @Test
    void anAnswerBegunForAPauseTheCallerTalksThroughIsCancelledUnheard() throws Exception {
        int before = MODEL.requests().size();
        MODEL.script(answer(), answer(), new OpenAiStandIn.Failure(500, "server_error", "no summary"));

        WatchedCall watched = WatchedCall.place(calls, SimulatedCall.to(mediaUrl().toString())
                .callSid("CAearly000000000000000000000002")
                .say("How much does it cost?")
                .line(CallerLine.say("For a fleet of twelve vans.").afterPause(450))
                .idleHangup(Duration.ofSeconds(2)).maxDuration(Duration.ofSeconds(30)).build());
        watched.summary(database);

        List<OpenAiStandIn.Request> asked = MODEL.requests().subList(before, before + 2);
        assertThat(lastUserMessage(asked.get(0))).isEqualTo("How much does it cost?");
        assertThat(lastUserMessage(asked.get(1))).isEqualTo("How much does it cost? For a fleet of twelve vans.");
        assertThat(MODEL.abandoned()).as("the first answer's stream was dropped").isGreaterThanOrEqualTo(1);
        assertThat(watched.history()).filteredOn(e -> e.speaker() == ConversationHistory.Speaker.CALLER)
                .extracting(ConversationHistory.Entry::text)
                .containsExactly("How much does it cost? For a fleet of twelve vans.");
        assertThat(watched.history()).extracting(ConversationHistory.Entry::text).containsOnlyOnce(SAY);
    }

    private static String lastUserMessage(OpenAiStandIn.Request request) {
        var messages = request.body().get("messages");
        return messages.get(messages.size() - 1).get("content").asText();
    }

    private static OpenAiStandIn.Completion answer() {
        return new OpenAiStandIn.Completion(OpenAiStandIn.pieces("{\"say\": \"" + SAY
                + "\", \"next_state\": \"greeting\", \"slots\": {}}", 8), Duration.ofMillis(300),
                Duration.ofMillis(5), "stop");
    }
}
