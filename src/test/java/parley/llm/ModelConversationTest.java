package parley.llm;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import parley.call.CallRegistry;
import parley.conversation.ConversationHistory;
import parley.conversation.TurnRecord;
import parley.conversation.TurnRouter;
import parley.simulator.SimulatedCall;
import parley.simulator.SimulationEvent;
import parley.support.RunningParley;
import parley.support.WatchedCall;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole call in which a language model (a local stand-in speaking the OpenAI streaming protocol) answers the
 * caller's question: routed to the strong model, grounded in a retrieved passage whose source is recorded with
 * the turn, its schema-checked answer spoken and followed through the script.
 */
class ModelConversationTest extends RunningParley {

    private static final OpenAiStandIn MODEL = start();
    private static final String SAY = "It is 29 dollars per vehicle per month. Do you have a minute to talk about"
            + " how you schedule your deliveries?";

    @DynamicPropertySource
    static void model(DynamicPropertyRegistry registry) {
        registry.add("parley.llm.base-url", () -> MODEL.baseUrl());
        registry.add("parley.llm.api-key", () -> "test-key");
        registry.add("parley.llm.fast-model", () -> "fast-test-model");
        registry.add("parley.llm.strong-model", () -> "strong-test-model");
    }

    @AfterAll
    static void stop() {
        MODEL.close();
    }

    @Autowired
    CallRegistry calls;

    @Test
    void aQuestionIsAnsweredByTheStrongModelFromTheRetrievedPassage() throws Exception {
        MODEL.script(OpenAiStandIn.streamed("{\"say\": \"" + SAY + "\", \"next_state\": \"greeting\", \"slots\": {}}", 7));

        WatchedCall watched = WatchedCall.place(calls, SimulatedCall.to(mediaUrl().toString())
                .callSid("CAmodel0000000000000000000000001")
                .say("How much does it cost?")
                .idleHangup(Duration.ofSeconds(2)).maxDuration(Duration.ofSeconds(40)).build());

        JsonNode request = MODEL.requests().get(0).body();
        assertThat(request.get("model").asText()).isEqualTo("strong-test-model");
        assertThat(request.get("stream").asBoolean()).isTrue();
        String system = request.get("messages").get(0).get("content").asText();
        assertThat(system).contains("[acme-logistics/pricing.md#").contains("29 dollars per vehicle per month");
        JsonNode last = request.get("messages").get(request.get("messages").size() - 1);
        assertThat(last.get("role").asText()).isEqualTo("user");
        assertThat(last.get("content").asText()).isEqualTo("How much does it cost?");

        TurnRecord turn = watched.session().turns().get(0);
        assertThat(turn.route()).isEqualTo(TurnRouter.Route.STRONG);
        assertThat(turn.reason()).isEqualTo("the caller asked a question");
        assertThat(turn.sources()).first().asString().startsWith("acme-logistics/pricing.md#");

        List<ConversationHistory.Entry> history = watched.history();
        assertThat(history).extracting(ConversationHistory.Entry::text).contains(SAY);
        assertThat(watched.result().events(SimulationEvent.AgentAudioStart.class)).hasSizeGreaterThanOrEqualTo(2);
        assertThat(watched.session().scriptState()).isEqualTo("greeting");
    }

    private static OpenAiStandIn start() {
        try {
            return new OpenAiStandIn();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
