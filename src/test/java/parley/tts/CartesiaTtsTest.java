package parley.tts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import parley.audio.OfflineVoice;
import parley.tts.RecordingListener.Done;
import parley.tts.RecordingListener.Failed;

class CartesiaTtsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FIRST = "Hello there, this is Parley calling. ";
    private static final String SECOND = "Do you have a minute?";

    private static OfflineVoice voice;
    private CartesiaStandIn cartesia;
    private CartesiaTts tts;

    @BeforeAll
    static void allocate() {
        voice = new OfflineVoice();
    }

    @AfterAll
    static void release() {
        voice.close();
    }

    @BeforeEach
    void start() throws Exception {
        cartesia = new CartesiaStandIn(voice);
        tts = new CartesiaTts(settings(cartesia.url()));
    }

    @AfterEach
    void stop() throws Exception {
        tts.close();
        cartesia.close();
    }

    @Test
    void sendsTheDocumentedMessagesAndStreamsTheFirstPhraseBeforeTheTurnIsFinished() throws Exception {
        RecordingListener listener = new RecordingListener();
        SpeechStream turn = tts.open("turn-1", listener);

        turn.push(FIRST);
        byte[] first = voice.speakMuLaw(FIRST);
        listener.awaitAudio(first.length, WAIT);
        assertThat(listener.hasEnded()).isFalse();
        turn.push(SECOND);
        turn.finish();

        assertThat(listener.awaitEnd(WAIT)).isInstanceOf(Done.class);
        assertThat(listener.audio()).isEqualTo(concat(first, voice.speakMuLaw(SECOND)));
        CartesiaStandIn.Connection connection = cartesia.connections().get(0);
        assertThat(cartesia.connections()).hasSize(1);
        assertThat(connection.path()).isEqualTo("/tts/websocket");
        assertThat(connection.headers()).containsEntry("x-api-key", "cartesia-key")
                .containsEntry("cartesia-version", "2025-04-16");
        String context = JSON.readTree(connection.messages().get(0)).get("context_id").asText();
        assertThat(connection.messages()).containsExactly(
                request(context, FIRST, true),
                request(context, SECOND, true),
                request(context, "", false));
        List<String> expectedWords = new ArrayList<>(CartesiaStandIn.words(FIRST));
        expectedWords.addAll(CartesiaStandIn.words(SECOND));
        List<WordTiming> words = listener.words();
        assertThat(words).extracting(WordTiming::word).containsExactlyElementsOf(expectedWords);
        for (int i = 1; i < words.size(); i++) {
            assertThat(words.get(i).startSeconds()).isGreaterThanOrEqualTo(words.get(i - 1).endSeconds() - 1e-9);
        }
        assertThat(words.get(words.size() - 1).endSeconds()).isCloseTo(listener.audio().length / 8000.0,
                org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void turnsOfDifferentCallsShareOneSocketWithTheirOwnContexts() throws Exception {
        RecordingListener a = new RecordingListener();
        RecordingListener b = new RecordingListener();
        SpeechStream first = tts.open("turn-1", a);
        SpeechStream second = tts.open("turn-1", b);

        first.push(FIRST);
        second.push(SECOND);
        first.finish();
        second.finish();

        assertThat(a.awaitEnd(WAIT)).isInstanceOf(Done.class);
        assertThat(b.awaitEnd(WAIT)).isInstanceOf(Done.class);
        assertThat(a.audio()).isEqualTo(voice.speakMuLaw(FIRST));
        assertThat(b.audio()).isEqualTo(voice.speakMuLaw(SECOND));
        assertThat(cartesia.connections()).hasSize(1);
        List<String> contexts = new ArrayList<>();
        for (String message : cartesia.connections().get(0).messages()) {
            contexts.add(JSON.readTree(message).get("context_id").asText());
        }
        assertThat(contexts).hasSize(4).containsOnly(contexts.get(0), contexts.get(1));
        assertThat(contexts.get(0)).isNotEqualTo(contexts.get(1));
    }

    @Test
    void aSlowFirstByteDelaysOnlyItsOwnTurnAndNeverTheCaller() throws Exception {
        String slow = "Let me look that up for you.";
        cartesia.delayFirstByte(slow, 1500);
        RecordingListener slowListener = new RecordingListener();
        RecordingListener quickListener = new RecordingListener();

        long before = System.nanoTime();
        SpeechStream slowTurn = tts.open("turn-slow", slowListener);
        slowTurn.push(slow);
        slowTurn.finish();
        SpeechStream quickTurn = tts.open("turn-quick", quickListener);
        quickTurn.push(SECOND);
        quickTurn.finish();
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofMillis(300));

        assertThat(quickListener.awaitEnd(WAIT)).isInstanceOf(Done.class);
        assertThat(slowListener.audio()).as("slow turn still silent when the quick one is done").isEmpty();
        assertThat(slowListener.awaitEnd(WAIT)).isInstanceOf(Done.class);
        assertThat(slowListener.audio()).isEqualTo(voice.speakMuLaw(slow));
        long firstAudioMs = Duration.ofNanos(slowListener.audioEvents().get(0).atNanos() - before).toMillis();
        assertThat(firstAudioMs).isGreaterThanOrEqualTo(1400);
    }

    @Test
    void cancelStopsDeliveryAtOnceAndTellsCartesia() throws Exception {
        String longPhrase = "Our delivery schedule covers every weekday morning and most afternoons, "
                + "and we can add Saturday deliveries for larger orders at no extra charge.";
        RecordingListener listener = new RecordingListener();
        SpeechStream turn = tts.open("turn-1", listener);
        turn.push(longPhrase);
        listener.awaitAudio(1, WAIT);

        turn.cancel();
        int eventsAtCancel = listener.events().size();
        Thread.sleep(400);

        assertThat(listener.events()).hasSize(eventsAtCancel);
        assertThat(listener.audio().length).isLessThan(voice.speakMuLaw(longPhrase).length);
        List<String> messages = cartesia.connections().get(0).messages();
        String context = JSON.readTree(messages.get(0)).get("context_id").asText();
        assertThat(messages).containsExactly(
                request(context, longPhrase, true),
                "{\"context_id\":\"" + context + "\",\"cancel\":true}");
        turn.push("Ignored after the cancel.");
        turn.finish();
        turn.cancel();
        assertThat(cartesia.connections().get(0).messages()).hasSize(2);

        RecordingListener next = new RecordingListener();
        SpeechStream nextTurn = tts.open("turn-2", next);
        nextTurn.push(SECOND);
        nextTurn.finish();
        assertThat(next.awaitEnd(WAIT)).isInstanceOf(Done.class);
        assertThat(next.audio()).isEqualTo(voice.speakMuLaw(SECOND));
    }

    @Test
    void anErrorFailsOnlyItsOwnTurn() throws Exception {
        String refused = "Spell it out for me.";
        cartesia.errorOn(refused);
        RecordingListener failing = new RecordingListener();
        RecordingListener other = new RecordingListener();
        SpeechStream failingTurn = tts.open("turn-1", failing);
        SpeechStream otherTurn = tts.open("turn-1", other);

        otherTurn.push(FIRST);
        failingTurn.push(refused);
        otherTurn.finish();

        assertThat(failing.awaitEnd(WAIT)).isInstanceOfSatisfying(Failed.class, failed -> assertThat(failed.problem())
                .contains("400").contains("Generation failed for this input"));
        assertThat(other.awaitEnd(WAIT)).isInstanceOf(Done.class);
        assertThat(other.audio()).isEqualTo(voice.speakMuLaw(FIRST));
        failingTurn.finish();
        assertThat(failing.events()).hasSize(1);
    }

    @Test
    void aDroppedSocketFailsTurnsWithAudioAndResendsTheOthersOnANewSocket() throws Exception {
        String trigger = "Let me check that for you.";
        cartesia.dropOnce(trigger);
        RecordingListener speaking = new RecordingListener();
        RecordingListener waiting = new RecordingListener();
        SpeechStream speakingTurn = tts.open("call-a-turn-1", speaking);
        speakingTurn.push(FIRST);
        speaking.awaitAudio(voice.speakMuLaw(FIRST).length, WAIT);

        SpeechStream waitingTurn = tts.open("call-b-turn-1", waiting);
        waitingTurn.push(trigger);

        assertThat(speaking.awaitEnd(WAIT)).isInstanceOfSatisfying(Failed.class,
                failed -> assertThat(failed.problem()).contains("connection lost").contains("1011"));
        waiting.awaitAudio(voice.speakMuLaw(trigger).length, WAIT);
        waitingTurn.push(SECOND);
        waitingTurn.finish();
        assertThat(waiting.awaitEnd(WAIT)).isInstanceOf(Done.class);
        assertThat(waiting.audio()).isEqualTo(concat(voice.speakMuLaw(trigger), voice.speakMuLaw(SECOND)));
        assertThat(cartesia.connections()).hasSize(2);
        List<String> resent = cartesia.connections().get(1).messages();
        String context = JSON.readTree(resent.get(0)).get("context_id").asText();
        assertThat(resent).containsExactly(
                request(context, trigger, true), request(context, SECOND, true), request(context, "", false));

        RecordingListener later = new RecordingListener();
        SpeechStream laterTurn = tts.open("call-a-turn-2", later);
        laterTurn.push(SECOND);
        laterTurn.finish();
        assertThat(later.awaitEnd(WAIT)).isInstanceOf(Done.class);
        assertThat(later.audio()).isEqualTo(voice.speakMuLaw(SECOND));
        assertThat(cartesia.connections()).hasSize(2);
    }

    @Test
    void aPauseInTheTextLongerThanCartesiasExpiryGoesOnOnAFreshContextWithTheSameVoice() throws Exception {
        RecordingListener listener = new RecordingListener();
        SpeechStream turn = tts.open("turn-1", listener);
        turn.push(FIRST);
        byte[] first = voice.speakMuLaw(FIRST);
        listener.awaitAudio(first.length, WAIT);
        // The language model pauses until Cartesia has let the context expire.
        Awaitility.await().atMost(WAIT).until(() -> !cartesia.expiredContexts().isEmpty());

        turn.push(SECOND);
        turn.finish();

        assertThat(listener.awaitEnd(WAIT)).isInstanceOf(Done.class);
        assertThat(listener.audio()).as("no word lost").isEqualTo(concat(first, voice.speakMuLaw(SECOND)));
        List<WordTiming> words = listener.words();
        assertThat(words).extracting(WordTiming::word).containsExactlyElementsOf(
                concatWords(CartesiaStandIn.words(FIRST), CartesiaStandIn.words(SECOND)));
        for (int i = 1; i < words.size(); i++) {
            assertThat(words.get(i).startSeconds()).as("word %d continues the turn's time", i)
                    .isGreaterThanOrEqualTo(words.get(i - 1).endSeconds() - 1e-9);
        }
        List<JsonNode> requests = new ArrayList<>();
        for (String message : cartesia.connections().get(0).messages()) {
            requests.add(JSON.readTree(message));
        }
        String expired = cartesia.expiredContexts().get(0);
        assertThat(requests.get(0).path("context_id").asText()).isEqualTo(expired);
        assertThat(requests.subList(1, requests.size())).extracting(r -> r.path("context_id").asText())
                .as("after the pause, only the fresh context").isNotEmpty().doesNotContain(expired);
        assertThat(requests).as("the same voice and settings throughout").allSatisfy(r -> {
            assertThat(r.path("voice").path("id").asText()).isEqualTo("voice-42");
            assertThat(r.path("model_id").asText()).isEqualTo("sonic-2");
        });
    }

    @Test
    void garbageFramesAreIgnored() throws Exception {
        cartesia.sendGarbage();
        RecordingListener listener = new RecordingListener();
        SpeechStream turn = tts.open("turn-1", listener);

        turn.push(FIRST);
        turn.push(SECOND);
        turn.finish();

        assertThat(listener.awaitEnd(WAIT)).isInstanceOf(Done.class);
        assertThat(listener.audio()).isEqualTo(concat(voice.speakMuLaw(FIRST), voice.speakMuLaw(SECOND)));
        assertThat(listener.words()).extracting(WordTiming::word).doesNotContain("ghost")
                .hasSize(CartesiaStandIn.words(FIRST).size() + CartesiaStandIn.words(SECOND).size());
    }

    @Test
    void aTurnWithoutTextIsDoneWithoutAskingCartesia() throws Exception {
        RecordingListener listener = new RecordingListener();
        SpeechStream turn = tts.open("turn-1", listener);

        turn.push("");
        turn.finish();

        assertThat(listener.awaitEnd(WAIT)).isInstanceOf(Done.class);
        assertThat(listener.events()).containsExactly(new Done());
        Thread.sleep(100);
        assertThat(cartesia.connections()).allSatisfy(connection -> assertThat(connection.messages()).isEmpty());
    }

    @Test
    void anUnreachableCartesiaFailsTheTurn() throws Exception {
        URI closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = URI.create("ws://127.0.0.1:" + probe.getLocalPort() + "/tts/websocket");
        }
        try (CartesiaTts unreachable = new CartesiaTts(settings(closedPort))) {
            RecordingListener listener = new RecordingListener();
            SpeechStream turn = unreachable.open("turn-1", listener);
            turn.push(FIRST);

            assertThat(listener.awaitEnd(WAIT)).isInstanceOf(Failed.class);
        }
    }

    private static CartesiaSettings settings(URI url) {
        return new CartesiaSettings(url, "cartesia-key", "2025-04-16", "sonic-2", "voice-42", "en");
    }

    private static String request(String context, String transcript, boolean more) throws Exception {
        return "{\"model_id\":\"sonic-2\",\"transcript\":" + JSON.writeValueAsString(transcript)
                + ",\"voice\":{\"mode\":\"id\",\"id\":\"voice-42\"},\"language\":\"en\",\"context_id\":\"" + context
                + "\",\"continue\":" + more + ",\"add_timestamps\":true,\"max_buffer_delay_ms\":0,"
                + "\"output_format\":{\"container\":\"raw\",\"encoding\":\"pcm_mulaw\",\"sample_rate\":8000}}";
    }

    private static List<String> concatWords(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }
}
