package parley.llm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.ProducerTemplate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import parley.call.CallRegistry;
import parley.call.CallEvent;
import parley.call.CallLog;
import parley.call.CallWatch;
import parley.call.EndedCall;
import parley.conversation.ConversationHistory;
import parley.conversation.SalesScript;
import parley.conversation.TurnRecord;
import parley.conversation.TurnRouter;
import parley.hearing.TurnTiming;
import parley.records.OfflineSummary;
import parley.simulator.SimulatedCall;
import parley.simulator.SimulationEvent;
import parley.support.RunningParley;
import parley.support.WatchedCall;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole calls in which a language model (a local stand-in speaking the OpenAI protocol) answers the caller's
 * question: routed to the strong model, grounded in a retrieved passage whose source is recorded with the
 * turn, its schema-checked answer spoken and followed through the script. Once a call has ended the summary
 * model writes its summary in one whole answer, or, failing that, the offline summary stands. Each test waits
 * for its call's summary, so that no summary request takes a reply scripted for the next test.
 */
class ModelConversationTest extends RunningParley {

    private static final OpenAiStandIn MODEL = OpenAiStandIn.started();
    private static final Duration SUMMARY_TIMEOUT = Duration.ofSeconds(2);
    private static final String SAY = "It is 29 dollars per vehicle per month. Do you have a minute to talk about"
            + " how you schedule your deliveries?";

    @DynamicPropertySource
    static void model(DynamicPropertyRegistry registry) {
        registry.add("parley.llm.base-url", () -> MODEL.baseUrl());
        registry.add("parley.llm.api-key", () -> "test-key");
        registry.add("parley.llm.fast-model", () -> "fast-test-model");
        registry.add("parley.llm.strong-model", () -> "strong-test-model");
        registry.add("parley.llm.summary-model", () -> "summary-test-model");
        registry.add("parley.llm.summary-timeout", () -> SUMMARY_TIMEOUT);
    }

    @AfterAll
    static void stop() {
        MODEL.close();
    }

    @Autowired
    CallRegistry calls;

    @Autowired
    JdbcTemplate database;

    @Autowired
    ProducerTemplate routes;

    @Test
    void aQuestionIsAnsweredByTheStrongModelFromTheRetrievedPassage() throws Exception {
        int before = MODEL.requests().size();
        MODEL.script(OpenAiStandIn.streamed("{\"say\": \"" + SAY + "\", \"next_state\": \"greeting\", \"slots\": {}}", 7),
                new OpenAiStandIn.Failure(500, "server_error", "The server had an error processing your request."));

        WatchedCall watched = WatchedCall.place(calls, SimulatedCall.to(mediaUrl().toString())
                .callSid("CAmodel0000000000000000000000001")
                .say("How much does it cost?")
                .idleHangup(Duration.ofSeconds(2)).maxDuration(Duration.ofSeconds(40)).build());

        JsonNode request = MODEL.requests().get(before).body();
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
        assertThat(turn.model()).isEqualTo("strong-test-model");
        // A model's answer is voiced as it is written: its first token, then the voice's first audio, then
        // Twilio's, each after the turn was decided.
        TurnTiming timing = turn.timing();
        assertThat(timing.firstTokenMs()).isNotNull();
        assertThat(timing.firstVoiceByteMs()).isGreaterThanOrEqualTo(timing.firstTokenMs());
        assertThat(timing.firstAudioMs()).isGreaterThanOrEqualTo(timing.firstVoiceByteMs());
        assertThat(watched.session().log().servedBy()).containsEntry("model", List.of("strong-test-model"));

        List<ConversationHistory.Entry> history = watched.history();
        assertThat(history).extracting(ConversationHistory.Entry::text).contains(SAY);
        assertThat(watched.result().events(SimulationEvent.AgentAudioStart.class)).hasSizeGreaterThanOrEqualTo(2);
        assertThat(watched.session().scriptState()).isEqualTo("greeting");

        WatchedCall.Summary summary = watched.summary(database);
        assertThat(MODEL.requests()).as("one summary request, answered 500, not retried").hasSize(before + 2);
        assertThat(MODEL.requests().get(before + 1).body().path("stream").asBoolean()).isFalse();
        assertThat(summary.writer()).isEqualTo(OfflineSummary.WRITER);
        assertThat(summary.text()).contains("Outcome: none, the call ended first")
                .contains("The caller spoke once; last words: \"How much does it cost?\"");
    }

    @Test
    void aModelThatFailsLeavesTheTurnToTheScriptAndTheCallsRecordSaysSo() throws Exception {
        MODEL.script(new OpenAiStandIn.Failure(503, "overloaded", "The model is overloaded."),
                new OpenAiStandIn.Failure(500, "server_error", "no summary"));

        WatchedCall watched = WatchedCall.place(calls, SimulatedCall.to(mediaUrl().toString())
                .callSid("CAmodelfails000000000000000000001")
                .say("How much does it cost?")
                .idleHangup(Duration.ofSeconds(2)).maxDuration(Duration.ofSeconds(40)).build());

        assertThat(watched.result().events(SimulationEvent.AgentAudioStart.class)).as("the script answered")
                .hasSizeGreaterThanOrEqualTo(2);
        assertThat(watched.session().log().events()).extracting(CallEvent::kind).containsExactly(CallEvent.Kind.MODEL_FALLBACK);
        assertThat(watched.session().log().events().get(0).detail()).startsWith("strong-test-model: ");
        watched.summary(database);
    }

    @Test
    void anEndedCallIsSummarizedByTheSummaryModelInOneWholeAnswer() throws Exception {
        int before = MODEL.requests().size();
        String goodbye = "No problem at all, thanks for your time. Goodbye!";
        String written = "Caller +15550100 asked whether it would cost anything and said they were not"
                + " interested; the agent said goodbye. Outcome: not interested. Next step: none.";
        MODEL.script(OpenAiStandIn.streamed("{\"say\": \"" + goodbye + "\", \"next_state\": \"not_interested\","
                        + " \"slots\": {}}", 9),
                OpenAiStandIn.whole(written, Duration.ofMillis(300)));

        WatchedCall watched = WatchedCall.place(calls, SimulatedCall.to(mediaUrl().toString())
                .callSid("CAsummary00000000000000000000001").parameter("From", "+15550100")
                .say("I'm not interested, is this going to cost me anything?")
                .idleHangup(Duration.ofSeconds(5)).maxDuration(Duration.ofSeconds(40)).build());

        assertThat(watched.session().outcome()).isEqualTo(SalesScript.Outcome.NOT_INTERESTED);
        WatchedCall.Summary summary = watched.summary(database);
        assertThat(summary).isEqualTo(new WatchedCall.Summary("summary-test-model", written));

        assertThat(MODEL.requests()).hasSize(before + 2);
        OpenAiStandIn.Request asked = MODEL.requests().get(before + 1);
        assertThat(asked.path()).isEqualTo("/v1/chat/completions");
        assertThat(asked.headers()).containsEntry("authorization", "Bearer test-key");
        JsonNode body = asked.body();
        assertThat(body.path("stream").asBoolean()).as("a whole answer, not a stream").isFalse();
        assertThat(body.get("model").asText()).isEqualTo("summary-test-model");
        assertThat(body.get("messages")).hasSize(2);
        assertThat(body.get("messages").get(0).get("role").asText()).isEqualTo("system");
        JsonNode prompt = body.get("messages").get(1);
        assertThat(prompt.get("role").asText()).isEqualTo("user");
        assertThat(prompt.get("content").asText())
                .contains("with +15550100")
                .contains("Outcome: not interested.")
                .contains("Caller: I'm not interested, is this going to cost me anything?")
                .contains("Agent: " + goodbye);
    }

    @Test
    void aModelTooSlowForTheSummaryTimeoutLeavesTheOfflineSummary() {
        int before = MODEL.requests().size();
        MODEL.script(OpenAiStandIn.whole("Written too late.", SUMMARY_TIMEOUT.plusSeconds(2)));
        EndedCall ended = new EndedCall("CAslowsummary0000000000000000001", "+15550102", "the socket closed",
                Duration.ofSeconds(20), null, null, Map.of("email", "sam@example.com"), Map.of(),
                List.of(new ConversationHistory.Entry(ConversationHistory.Speaker.CALLER, "Send me an email.", false,
                        "Send me an email.", 1_000, 2_200)),
                List.of(), new EndedCall.Circumstances("inbound", "+15550102", "+15550100", null, null, "a script",
                        "0123456789ab", Instant.now(), new CallLog(Clock.systemUTC(), new CallWatch(new SimpleMeterRegistry(), event -> { }))));

        long sent = System.nanoTime();
        routes.sendBody("direct:call-ended", ended);
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).as("ending a call waits for no summary")
                .isLessThan(Duration.ofMillis(500));

        WatchedCall.Summary summary = WatchedCall.summary(database, ended.callSid());
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(SUMMARY_TIMEOUT);
        assertThat(summary).isEqualTo(new WatchedCall.Summary(OfflineSummary.WRITER, OfflineSummary.write(ended)));
        assertThat(MODEL.requests()).as("one attempt").hasSize(before + 1);
    }
}
