package parley.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchemaCheckedChatTest {

    private static final String SYSTEM = "You are Parley, calling Ann about a solar survey.";
    private static final List<ChatMessage> MESSAGES = List.of(
            SystemMessage.from(SYSTEM),
            UserMessage.from("Hello?"),
            AiMessage.from("Hi, is this Ann? I'm calling about your solar survey."),
            UserMessage.from("Yes. Book me in, ann@example.com is best."));

    private static final String SAY = "Great, Ann. I have booked your survey for Tuesday at three, "
            + "and the details will be in your inbox shortly.";
    private static final String VALID = "{\"say\": \"" + SAY + "\", \"next_state\": \"book\", "
            + "\"slots\": {\"name\": \"Ann\", \"email\": \"ann@example.com\"}}";
    private static final Answer EXPECTED = new Answer("book", Map.of("name", "Ann", "email", "ann@example.com"), SAY);

    private OpenAiStandIn standIn;
    private SchemaCheckedChat chat;
    private AnswerSchema schema;

    @BeforeEach
    void start() throws Exception {
        standIn = new OpenAiStandIn();
        chat = chat(Duration.ofSeconds(2), Duration.ofSeconds(5));
        Map<String, SlotType> slots = new LinkedHashMap<>();
        slots.put("name", new SlotType.Name(false));
        slots.put("email", new SlotType.Email(false));
        schema = new AnswerSchema(List.of("book", "goodbye"), slots);
    }

    @AfterEach
    void stop() {
        chat.close();
        standIn.close();
    }

    private SchemaCheckedChat chat(Duration firstToken, Duration answer) {
        return new SchemaCheckedChat(OpenAiStreamingChatModel.builder()
                .baseUrl(standIn.baseUrl())
                .apiKey("test-key")
                .modelName("parley-test-model")
                .build(), firstToken, answer);
    }

    @Test
    void aValidAnswerIsSpokenPhraseByPhraseWhileItStreams() throws Exception {
        standIn.script(new OpenAiStandIn.Completion(OpenAiStandIn.pieces(VALID, 3), Duration.ZERO,
                Duration.ofMillis(8), "stop"));
        Recorder recorder = new Recorder();

        chat.answer(MESSAGES, schema, recorder);

        assertThat(recorder.outcome()).isEqualTo(EXPECTED);
        assertThat(recorder.said).containsExactly("Great, Ann. ", "I have booked your survey for Tuesday at three, ",
                "and the details will be in your inbox shortly.");
        assertThat(recorder.firstSayAt.get()).isLessThan(standIn.lastPiecesSent().get(0));
        assertThat(recorder.events).containsExactly("say", "say", "say", "answer");

        assertThat(standIn.requests()).hasSize(1);
        OpenAiStandIn.Request request = standIn.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/chat/completions");
        assertThat(request.headers()).containsEntry("authorization", "Bearer test-key");
        assertThat(request.body().get("model").asText()).isEqualTo("parley-test-model");
        assertThat(request.body().get("stream").asBoolean()).isTrue();
        assertThat(messages(request.body())).containsExactly(
                List.of("system", SYSTEM + "\n\n" + schema.instruction()),
                List.of("user", "Hello?"),
                List.of("assistant", "Hi, is this Ann? I'm calling about your solar survey."),
                List.of("user", "Yes. Book me in, ann@example.com is best."));
    }

    @Test
    void theInstructionBecomesTheSystemMessageWhenThereIsNone() throws Exception {
        standIn.script(OpenAiStandIn.streamed(VALID, 16));
        Recorder recorder = new Recorder();

        chat.answer(List.of(UserMessage.from("Hello?")), schema, recorder);

        assertThat(recorder.outcome()).isEqualTo(EXPECTED);
        assertThat(messages(standIn.requests().get(0).body())).containsExactly(
                List.of("system", schema.instruction()), List.of("user", "Hello?"));
    }

    @Test
    void anInvalidAnswerIsRepairedOnceAndItsSpokenSayStands() throws Exception {
        String first = "{\"say\": \"Lovely, I will note that down.\", \"next_state\": \"checkout\", "
                + "\"slots\": {\"email\": \"ann-at-example\"}}";
        standIn.script(OpenAiStandIn.streamed(first, 5), OpenAiStandIn.streamed(
                "{\"say\": \"Something else entirely.\", \"next_state\": \"book\", "
                        + "\"slots\": {\"email\": \"ann@example.com\"}}", 5));
        Recorder recorder = new Recorder();

        chat.answer(MESSAGES, schema, recorder);

        assertThat(recorder.outcome()).isEqualTo(
                new Answer("book", Map.of("email", "ann@example.com"), "Lovely, I will note that down."));
        assertThat(String.join("", recorder.said)).isEqualTo("Lovely, I will note that down.");
        assertThat(standIn.requests()).hasSize(2);
        List<List<String>> repair = messages(standIn.requests().get(1).body());
        assertThat(repair).hasSize(6);
        assertThat(repair.subList(0, 4)).isEqualTo(messages(standIn.requests().get(0).body()));
        assertThat(repair.get(4)).isEqualTo(List.of("assistant", first));
        assertThat(repair.get(5)).isEqualTo(List.of("user", """
                Your reply does not fit the required JSON:
                - next_state: "checkout" is not one of [book, goodbye]
                - slots.email: "ann-at-example" is not an e-mail address
                Reply again with the whole corrected JSON object and nothing else."""));
        assertThat(standIn.requests().get(1).body().get("stream").asBoolean()).isTrue();
    }

    @Test
    void anAnswerInvalidTwiceFallsBack() throws Exception {
        standIn.script(OpenAiStandIn.streamed("{\"say\": \"Okay.\", \"next_state\": \"pay\"}", 4),
                OpenAiStandIn.streamed("{\"say\": \"Okay.\", \"next_state\": \"pay now\"}", 4));
        Recorder recorder = new Recorder();

        chat.answer(MESSAGES, schema, recorder);

        assertThat(recorder.outcome()).isEqualTo("the repaired answer does not fit either: "
                + "next_state: \"pay now\" is not one of [book, goodbye]");
        assertThat(recorder.events).containsExactly("say", "fallback");
        assertThat(standIn.requests()).hasSize(2);
    }

    @Test
    void aTruncatedAnswerKeepsTheWholePhrasesSpokenAndTakesTheRepairedState() throws Exception {
        standIn.script(new OpenAiStandIn.Completion(OpenAiStandIn.pieces(
                        "{\"say\": \"Sure, I can help with that. Let me check the diary", 4),
                        Duration.ZERO, Duration.ofMillis(2), "length"),
                OpenAiStandIn.streamed("{\"say\": \"Let me check.\", \"next_state\": \"goodbye\"}", 4));
        Recorder recorder = new Recorder();

        chat.answer(MESSAGES, schema, recorder);

        assertThat(recorder.outcome()).isEqualTo(new Answer("goodbye", Map.of(), "Sure, I can help with that. "));
        assertThat(recorder.said).containsExactly("Sure, I can help with that. ");
        assertThat(messages(standIn.requests().get(1).body()).get(5).get(1))
                .contains("- answer: ended before the JSON object was complete");
    }

    @Test
    void whenNothingWasSpokenTheRepairedSayIsSpoken() throws Exception {
        standIn.script(new OpenAiStandIn.Completion(OpenAiStandIn.pieces(
                        "{\"next_state\": \"book\", \"slots\": {\"name\": \"An", 4),
                        Duration.ZERO, Duration.ofMillis(2), "length"),
                OpenAiStandIn.streamed("{\"say\": \"Thanks, Ann.\", \"next_state\": \"book\", "
                        + "\"slots\": {\"name\": \"Ann\"}}", 4));
        Recorder recorder = new Recorder();

        chat.answer(MESSAGES, schema, recorder);

        assertThat(recorder.outcome()).isEqualTo(new Answer("book", Map.of("name", "Ann"), "Thanks, Ann."));
        assertThat(String.join("", recorder.said)).isEqualTo("Thanks, Ann.");
    }

    @Test
    void nothingIsSpokenPastTheCharacterWhereTheJsonBroke() throws Exception {
        standIn.script(OpenAiStandIn.streamed(
                        "{\"say\": \"We can do Tuesday, or maybe \\q Wednesday, whichever suits.\", "
                                + "\"next_state\": \"book\"}", 4),
                OpenAiStandIn.streamed("{\"say\": \"Tuesday it is.\", \"next_state\": \"book\"}", 4));
        Recorder recorder = new Recorder();

        chat.answer(MESSAGES, schema, recorder);

        assertThat(recorder.outcome()).isEqualTo(new Answer("book", Map.of(), "We can do Tuesday, "));
        assertThat(recorder.said).containsExactly("We can do Tuesday, ");
        assertThat(messages(standIn.requests().get(1).body()).get(4).get(1))
                .as("the broken answer as far as it was read")
                .startsWith("{\"say\": \"We can do Tuesday, or maybe \\q");
    }

    @Test
    void aSlowFirstTokenFallsBackAtTheTimeout() throws Exception {
        chat.close();
        chat = chat(Duration.ofMillis(300), Duration.ofSeconds(5));
        standIn.script(new OpenAiStandIn.Completion(OpenAiStandIn.pieces(VALID, 8), Duration.ofSeconds(2),
                Duration.ZERO, "stop"));
        Recorder recorder = new Recorder();

        long start = System.nanoTime();
        chat.answer(MESSAGES, schema, recorder);

        assertThat(recorder.outcome()).isEqualTo("no first token within PT0.3S");
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isBetween(Duration.ofMillis(300), Duration.ofMillis(1500));
        assertThat(recorder.events).containsExactly("fallback");
        assertThat(standIn.requests()).hasSize(1);
    }

    @Test
    void anAnswerThatStallsFallsBackAtTheAnswerTimeout() throws Exception {
        chat.close();
        chat = chat(Duration.ofMillis(300), Duration.ofSeconds(1));
        standIn.script(new OpenAiStandIn.Completion(OpenAiStandIn.pieces(VALID, 30), Duration.ZERO,
                Duration.ofMillis(400), "stop"));
        Recorder recorder = new Recorder();

        chat.answer(MESSAGES, schema, recorder);

        assertThat(recorder.outcome()).isEqualTo("no complete answer within PT1S");
        assertThat(recorder.events).last().isEqualTo("fallback");
        Thread.sleep(1500);
        assertThat(recorder.events).last().as("nothing after the fallback").isEqualTo("fallback");
    }

    @Test
    void aServerErrorFallsBack() throws Exception {
        standIn.script(new OpenAiStandIn.Failure(500, "server_error", "overloaded"));
        Recorder recorder = new Recorder();

        chat.answer(MESSAGES, schema, recorder);

        assertThat((String) recorder.outcome()).startsWith("the model failed: ").contains("overloaded");
        assertThat(recorder.events).containsExactly("fallback");
    }

    @Test
    void aRefusedKeyFallsBack() throws Exception {
        standIn.script(new OpenAiStandIn.Failure(401, "invalid_request_error", "Incorrect API key provided"));
        Recorder recorder = new Recorder();

        chat.answer(MESSAGES, schema, recorder);

        assertThat((String) recorder.outcome()).startsWith("the model failed: ").contains("Incorrect API key");
        assertThat(recorder.events).containsExactly("fallback");
        assertThat(standIn.requests()).hasSize(1);
    }

    @Test
    void jsonInAFenceAfterProseIsFound() throws Exception {
        standIn.script(OpenAiStandIn.streamed("Here is my answer:\n```json\n" + VALID + "\n```\n", 5));
        Recorder recorder = new Recorder();

        chat.answer(MESSAGES, schema, recorder);

        assertThat(recorder.outcome()).isEqualTo(EXPECTED);
        assertThat(String.join("", recorder.said)).isEqualTo(SAY);
    }

    @Test
    void escapesSplitAcrossChunksAreDecoded() throws Exception {
        String say = "Caf\u00e9 \"Lumi\u00e8re\" \ud83d\ude00 at 9\\10.\nSee you then!";
        standIn.script(OpenAiStandIn.streamed("{\"say\": \"Caf\\u00e9 \\\"Lumi\\u00E8re\\\" \\ud83d\\ude00 "
                + "at 9\\\\10.\\nSee you then!\", \"next_state\": \"goodbye\"}", 1));
        Recorder recorder = new Recorder();

        chat.answer(MESSAGES, schema, recorder);

        assertThat(recorder.outcome()).isEqualTo(new Answer("goodbye", Map.of(), say));
        assertThat(String.join("", recorder.said)).isEqualTo(say);
    }

    @Test
    void cancellingStopsTheStreamAndSilencesTheTurn() throws Exception {
        standIn.script(new OpenAiStandIn.Completion(OpenAiStandIn.pieces(VALID, 2), Duration.ZERO,
                Duration.ofMillis(20), "stop"));
        Recorder recorder = new Recorder();

        SchemaCheckedChat.Turn turn = chat.answer(MESSAGES, schema, recorder);
        assertThat(recorder.firstSay.await(5, TimeUnit.SECONDS)).isTrue();
        turn.cancel();
        List<String> heard = List.copyOf(recorder.events);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (standIn.abandoned() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(standIn.abandoned()).as("the stand-in saw the stream dropped").isEqualTo(1);
        assertThat(standIn.lastPiecesSent()).isEmpty();
        Thread.sleep(300);
        assertThat(recorder.events).isEqualTo(heard);
        assertThat(recorder.outcome).isNotDone();
    }

    @Test
    void aListenerCancellingFromItsOnSayHearsNothingMore() throws Exception {
        standIn.script(OpenAiStandIn.streamed(VALID, VALID.length()));
        Recorder recorder = new Recorder();
        CompletableFuture<SchemaCheckedChat.Turn> turn = new CompletableFuture<>();
        recorder.onFirstSay = () -> turn.join().cancel();

        turn.complete(chat.answer(MESSAGES, schema, recorder));
        assertThat(recorder.firstSay.await(5, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(300);

        assertThat(recorder.said).as("one piece held three phrases; the cancel came after the first")
                .containsExactly("Great, Ann. ");
        assertThat(recorder.events).containsExactly("say");
    }

    @Test
    void cancellingBeforeTheFirstTokenSilencesTheTimeoutToo() throws Exception {
        chat.close();
        chat = chat(Duration.ofMillis(200), Duration.ofSeconds(5));
        standIn.script(new OpenAiStandIn.Completion(OpenAiStandIn.pieces(VALID, 8), Duration.ofMillis(500),
                Duration.ZERO, "stop"));
        Recorder recorder = new Recorder();

        chat.answer(MESSAGES, schema, recorder).cancel();
        Thread.sleep(1000);

        assertThat(recorder.events).isEmpty();
    }

    private static List<List<String>> messages(JsonNode body) {
        List<List<String>> messages = new ArrayList<>();
        body.get("messages").forEach(message ->
                messages.add(List.of(message.get("role").asText(), message.get("content").asText())));
        return messages;
    }

    private static final class Recorder implements SchemaCheckedChat.Listener {
        final List<String> said = new CopyOnWriteArrayList<>();
        final List<String> events = new CopyOnWriteArrayList<>();
        final CompletableFuture<Long> firstSayAt = new CompletableFuture<>();
        final CountDownLatch firstSay = new CountDownLatch(1);
        final CompletableFuture<Object> outcome = new CompletableFuture<>();
        volatile Runnable onFirstSay = () -> { };

        @Override
        public void onSay(String text) {
            firstSayAt.complete(System.nanoTime());
            said.add(text);
            events.add("say");
            if (firstSay.getCount() > 0) {
                firstSay.countDown();
                onFirstSay.run();
            }
        }

        @Override
        public void onAnswer(Answer answer) {
            events.add("answer");
            outcome.complete(answer);
        }

        @Override
        public void onFallback(String reason) {
            events.add("fallback");
            outcome.complete(reason);
        }

        Object outcome() throws Exception {
            return outcome.get(10, TimeUnit.SECONDS);
        }
    }
}
