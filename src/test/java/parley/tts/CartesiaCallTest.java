package parley.tts;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import parley.audio.OfflineVoice;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.conversation.AgentReply;
import parley.conversation.ConversationHistory;
import parley.conversation.SalesScript;
import parley.processors.SpeakLine;
import parley.simulator.CallSimulator;
import parley.simulator.CallerLine;
import parley.simulator.SimulatedCall;
import parley.simulator.SimulationEvent;
import parley.simulator.SimulationResult;
import parley.support.RunningParley;
import parley.support.WatchedCall;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole call through every stage with Cartesia as the voice (a local stand-in speaking its protocol): the
 * caller's audio to the sandbox recognizer, their words ending the turn, a reply written a phrase at a time
 * (as a model writes it), streamed into Cartesia, and its audio back to the caller while the reply is still
 * being written.
 */
@DirtiesContext
class CartesiaCallTest extends RunningParley {

    private static final OfflineVoice VOICE = new OfflineVoice();
    private static final CartesiaStandIn CARTESIA = startCartesia();
    private static final List<String> REPLY = List.of("Great, thanks. ", "We help operations teams ",
            "plan their delivery schedules. ", "Could I ask how many deliveries you schedule a week?");
    private static final long PHRASE_EVERY_MS = 400;

    @DynamicPropertySource
    static void cartesia(DynamicPropertyRegistry registry) {
        registry.add("parley.tts.voices", () -> "cartesia,offline");
        registry.add("parley.tts.cartesia.url", () -> CARTESIA.url().toString());
        registry.add("parley.tts.cartesia.api-key", () -> "cartesia-key");
        registry.add("parley.tts.cartesia.voice", () -> "voice-42");
    }

    @AfterAll
    static void stop() throws Exception {
        CARTESIA.close();
        VOICE.close();
    }

    @Autowired
    CamelContext camel;

    @Autowired
    CallRegistry calls;

    @Autowired
    SalesScript script;

    @Test
    void theCallerHearsAStreamedReplyBeforeItIsFullyWritten() throws Exception {
        CompletableFuture<Long> replyWrittenAtMs = new CompletableFuture<>();
        AdviceWith.adviceWith(camel, "conversation-turn", route -> route.weaveAddFirst().process(exchange -> {
                    CallSession call = calls.of(exchange);
                    AgentReply reply = new AgentReply();
                    exchange.getMessage().setHeader(SpeakLine.AGENT_TURN, call.agentTurns().begin());
                    exchange.getMessage().setBody(reply);
                    write(reply, call, replyWrittenAtMs);
                }).to("direct:speak").stop());
        String callSid = "CAcartesia000000000000000000000001";

        SimulationResult result;
        try (CallSimulator simulator = new CallSimulator()) {
            result = simulator.run(SimulatedCall.to(mediaUrl().toString()).callSid(callSid)
                    .say("Sure, go ahead.")
                    .idleHangup(Duration.ofSeconds(2)).maxDuration(Duration.ofSeconds(40)).build());
        }

        List<SimulationEvent.AgentAudioStart> agent = result.events(SimulationEvent.AgentAudioStart.class);
        assertThat(agent).as("the greeting, then the reply").hasSizeGreaterThanOrEqualTo(2);
        long replyHeardAtMs = agent.get(1).atMs();
        long writtenAtMs = replyWrittenAtMs.get(5, TimeUnit.SECONDS);
        System.out.printf("Reply: first audio heard at %d ms, reply fully written at %d ms%n", replyHeardAtMs,
                writtenAtMs);
        assertThat(replyHeardAtMs).as("the caller hears the reply before its text is complete").isLessThan(writtenAtMs);

        List<String> sent = CARTESIA.connections().stream().flatMap(c -> c.messages().stream()).toList();
        for (String phrase : REPLY) {
            assertThat(sent).as("pushed to Cartesia").anyMatch(message -> message.contains(phrase.trim()));
        }
        assertThat(result.violations()).isEmpty();
    }

    @Test
    void aBargeInCutsTheHistoryAtTheLastWordTheCallerHeard() throws Exception {
        WatchedCall watched = WatchedCall.place(calls, SimulatedCall.to(mediaUrl().toString())
                .callSid("CAcartesiacut00000000000000000001")
                .line(CallerLine.say("Sorry, who is this?").atMs(3000))
                .idleHangup(Duration.ofSeconds(2)).maxDuration(Duration.ofSeconds(30)).build());

        SimulationResult result = watched.result();
        SimulationEvent.Clear clear = result.events(SimulationEvent.Clear.class).get(0);
        long heardMs = clear.atMs() - result.firstAgentAudioMs().orElseThrow();
        List<WordTiming> timings = greetingTimings();
        // Parley knows what was heard to the last mark echoed (every 100 ms), never beyond what was played.
        long surelyHeard = timings.stream().filter(w -> w.endSeconds() * 1000 <= heardMs - 140).count();
        long possiblyHeard = timings.stream().filter(w -> w.endSeconds() * 1000 <= heardMs).count();

        ConversationHistory.Entry cut = watched.history().get(0);
        assertThat(cut.interrupted()).isTrue();
        String[] cutWords = cut.text().split("\\s+");
        assertThat((long) cutWords.length).as("words kept, by Cartesia's timings; the caller heard %d ms", heardMs)
                .isBetween(surelyHeard, possiblyHeard);
        assertThat(script.openingLine()).startsWith(cut.text());
    }

    /** The word timings Cartesia gives for the greeting, asked for the same way Parley voices it. */
    private List<WordTiming> greetingTimings() throws Exception {
        CartesiaTts cartesia = new CartesiaTts(new CartesiaSettings(CARTESIA.url(), "cartesia-key", "2025-04-16",
                "sonic-2", "voice-42", "en"));
        try {
            RecordingListener listener = new RecordingListener();
            SpeechStream stream = cartesia.open("timings", listener);
            Phrases.split(script.openingLine()).forEach(stream::push);
            stream.finish();
            listener.awaitEnd(Duration.ofSeconds(10));
            return listener.words();
        } finally {
            cartesia.close();
        }
    }

    /** Writes the reply a phrase at a time, noting on the call's timeline when the last phrase was written. */
    private static void write(AgentReply reply, CallSession call, CompletableFuture<Long> writtenAtMs) {
        Thread writer = new Thread(() -> {
            try {
                for (String phrase : REPLY) {
                    reply.append(phrase);
                    TimeUnit.MILLISECONDS.sleep(PHRASE_EVERY_MS);
                }
                writtenAtMs.complete(call.callerAudioMs());
                reply.finish();
            } catch (InterruptedException e) {
                writtenAtMs.completeExceptionally(e);
            }
        });
        writer.setDaemon(true);
        writer.start();
    }

    private static CartesiaStandIn startCartesia() {
        try {
            return new CartesiaStandIn(VOICE);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
