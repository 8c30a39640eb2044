package parley.tts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import parley.audio.OfflineVoice;
import parley.tts.RecordingListener.Done;
import parley.tts.RecordingListener.Failed;

class AuraTtsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String FIRST = "Hello there, this is Parley calling. ";
    private static final String SECOND = "Do you have a minute?";
    private static final String FLUSH = "{\"type\":\"Flush\"}";
    private static final String CLOSE = "{\"type\":\"Close\"}";

    private static OfflineVoice voice;
    private AuraStandIn aura;
    private AuraTts tts;

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
        aura = new AuraStandIn(voice);
        tts = new AuraTts(new AuraSettings(aura.url(), "deepgram-key", "aura-2-thalia-en"));
    }

    @AfterEach
    void stop() throws Exception {
        aura.close();
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
        assertThat(listener.words()).isEmpty();
        AuraStandIn.Connection connection = aura.connections().get(0);
        assertThat(connection.path()).isEqualTo("/v1/speak");
        assertThat(connection.query()).isEqualTo("model=aura-2-thalia-en&encoding=mulaw&sample_rate=8000");
        assertThat(connection.headers()).containsEntry("authorization", "Token deepgram-key");
        awaitMessages(connection, 5);
        assertThat(connection.messages()).containsExactly(speak(FIRST), FLUSH, speak(SECOND), FLUSH, CLOSE);
        assertThat(connection.warnings()).isEmpty();
    }

    @Test
    void aLongTurnStaysWithinTwentyFlushes() throws Exception {
        RecordingListener listener = new RecordingListener();
        SpeechStream turn = tts.open("turn-1", listener);
        List<String> phrases = new ArrayList<>();
        for (int i = 1; i <= 25; i++) {
            phrases.add("Item " + i + ". ");
        }

        phrases.forEach(turn::push);
        turn.finish();

        assertThat(listener.awaitEnd(WAIT)).isInstanceOf(Done.class);
        AuraStandIn.Connection connection = aura.connections().get(0);
        awaitMessages(connection, 25 + AuraTts.MAX_FLUSHES + 1);
        assertThat(connection.messages()).filteredOn(FLUSH::equals).hasSize(AuraTts.MAX_FLUSHES);
        assertThat(connection.warnings()).isEmpty();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        phrases.subList(0, AuraTts.MAX_FLUSHES - 1).forEach(phrase -> expected.writeBytes(voice.speakMuLaw(phrase)));
        expected.writeBytes(voice.speakMuLaw(String.join("", phrases.subList(AuraTts.MAX_FLUSHES - 1, 25))));
        assertThat(listener.audio()).isEqualTo(expected.toByteArray());
    }

    @Test
    void eachTurnHasItsOwnSocket() throws Exception {
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
        assertThat(aura.connections()).hasSize(2);
    }

    @Test
    void cancelStopsDeliveryAtOnceAndClearsAura() throws Exception {
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
        AuraStandIn.Connection connection = aura.connections().get(0);
        awaitMessages(connection, 4);
        assertThat(connection.messages()).containsExactly(speak(longPhrase), FLUSH, "{\"type\":\"Clear\"}", CLOSE);
        turn.push("Ignored after the cancel.");
        turn.finish();
        assertThat(connection.messages()).hasSize(4);
    }

    @Test
    void anErrorFailsTheTurn() throws Exception {
        aura.errorOn("forbidden");
        RecordingListener listener = new RecordingListener();
        SpeechStream turn = tts.open("turn-1", listener);

        turn.push("Say the forbidden word.");
        turn.finish();

        assertThat(listener.awaitEnd(WAIT)).isInstanceOfSatisfying(Failed.class, failed -> assertThat(failed.problem())
                .contains("INTERNAL_SERVER_ERROR").contains("Synthesis failed"));
        assertThat(listener.events()).hasSize(1);
    }

    @Test
    void aSocketClosedMidStreamFailsTheTurn() throws Exception {
        aura.dropOn("weekday");
        RecordingListener listener = new RecordingListener();
        SpeechStream turn = tts.open("turn-1", listener);

        turn.push("Our delivery schedule covers every weekday morning.");

        assertThat(listener.awaitEnd(WAIT)).isInstanceOfSatisfying(Failed.class,
                failed -> assertThat(failed.problem()).contains("1011"));
        assertThat(listener.audio()).hasSize(AuraStandIn.CHUNK_BYTES);
        turn.finish();
        assertThat(listener.events()).last().isInstanceOf(Failed.class);
    }

    @Test
    void aSlowFirstByteNeverBlocksTheCaller() throws Exception {
        aura.delayFirstByte(1500);
        RecordingListener listener = new RecordingListener();

        long before = System.nanoTime();
        SpeechStream turn = tts.open("turn-1", listener);
        turn.push(SECOND);
        turn.finish();
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofMillis(300));

        assertThat(listener.awaitEnd(WAIT)).isInstanceOf(Done.class);
        assertThat(listener.audio()).isEqualTo(voice.speakMuLaw(SECOND));
        long firstAudioMs = Duration.ofNanos(listener.audioEvents().get(0).atNanos() - before).toMillis();
        assertThat(firstAudioMs).isGreaterThanOrEqualTo(1400);
    }

    @Test
    void garbageFramesAreIgnored() throws Exception {
        aura.sendGarbage();
        RecordingListener listener = new RecordingListener();
        SpeechStream turn = tts.open("turn-1", listener);

        turn.push(FIRST);
        turn.push(SECOND);
        turn.finish();

        assertThat(listener.awaitEnd(WAIT)).isInstanceOf(Done.class);
        assertThat(listener.audio()).isEqualTo(concat(voice.speakMuLaw(FIRST), voice.speakMuLaw(SECOND)));
    }

    @Test
    void aTurnWithoutTextIsDoneAtOnce() throws Exception {
        RecordingListener listener = new RecordingListener();
        SpeechStream turn = tts.open("turn-1", listener);

        turn.finish();

        assertThat(listener.awaitEnd(WAIT)).isInstanceOf(Done.class);
        AuraStandIn.Connection connection = awaitConnection();
        awaitMessages(connection, 1);
        assertThat(connection.messages()).containsExactly(CLOSE);
    }

    @Test
    void anUnreachableAuraFailsTheTurn() throws Exception {
        aura.close();
        RecordingListener listener = new RecordingListener();

        tts.open("turn-1", listener).push(FIRST);

        assertThat(listener.awaitEnd(WAIT)).isInstanceOfSatisfying(Failed.class,
                failed -> assertThat(failed.problem()).contains("Aura connection failed"));
    }

    private AuraStandIn.Connection awaitConnection() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (aura.connections().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return aura.connections().get(0);
    }

    /** The client's last frames may still be on the wire when the listener hears the end. */
    private static void awaitMessages(AuraStandIn.Connection connection, int count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (connection.messages().size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private static String speak(String text) {
        return "{\"type\":\"Speak\",\"text\":\"" + text + "\"}";
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }
}
