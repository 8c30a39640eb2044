package parley.tts;

import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import parley.audio.OfflineVoice;

import static org.assertj.core.api.Assertions.assertThat;

/** Voices in order: when Cartesia fails or stalls mid-turn, the offline voice carries the turn on. */
class VoiceChainTest {

    private static final long MAX_SILENCE_MS = 400;
    private static final VoiceChain.Breaker BREAKER = new VoiceChain.Breaker(2, 60_000);
    private static final String FIRST = "Thanks for taking the call. ";
    private static final String SECOND = "We help operations teams schedule deliveries. ";
    private static final String THIRD = "Would a short demo next week work for you?";

    private static OfflineVoice voice;
    private CartesiaStandIn cartesia;
    private VoiceChain chain;

    @BeforeAll
    static void loadVoice() {
        voice = new OfflineVoice();
    }

    @AfterAll
    static void closeVoice() {
        voice.close();
    }

    @BeforeEach
    void start() throws Exception {
        cartesia = new CartesiaStandIn(voice);
        chain = new VoiceChain(List.of(
                new CartesiaTts(new CartesiaSettings(cartesia.url(), "cartesia-key", "2025-04-16", "sonic-2",
                        "voice-42", "en")),
                new OfflineTts(voice)), MAX_SILENCE_MS, BREAKER);
    }

    @AfterEach
    void stop() throws Exception {
        chain.close();
        cartesia.close();
    }

    @Test
    void aVoiceThatFailsMidTurnHandsTheRestToTheNext() throws Exception {
        cartesia.errorOn(SECOND);
        // Silence would take a minute to count: only the error itself can hand the turn over within the test.
        chain.close();
        chain = new VoiceChain(List.of(new CartesiaTts(new CartesiaSettings(cartesia.url(), "cartesia-key",
                "2025-04-16", "sonic-2", "voice-42", "en")), new OfflineTts(voice)), 60_000, BREAKER);
        RecordingListener listener = new RecordingListener();
        SpeechStream stream = chain.open("turn-1", listener);
        // The reply is still being written: its second sentence comes once the first has been voiced.
        stream.push(FIRST);
        byte[] cartesiaFirst = voice.speakMuLaw(FIRST);
        listener.awaitAudio(cartesiaFirst.length, Duration.ofSeconds(5));
        listener.awaitWords(5, Duration.ofSeconds(5));
        stream.push(SECOND);
        stream.push(THIRD);
        stream.finish();

        assertThat(listener.awaitEnd(Duration.ofSeconds(10))).isInstanceOf(RecordingListener.Done.class);
        assertThat(listener.audio()).as("Cartesia's first sentence, then the offline voice from the failed one")
                .isEqualTo(concat(cartesiaFirst, voice.speakMuLaw(SECOND), voice.speakMuLaw(THIRD)));
        // What a call's record is told: which voices spoke, and the handoff with the failure that caused it.
        List<String> voices = listener.voices();
        assertThat(voices).hasSize(2).last().isEqualTo("offline");
        assertThat(listener.handoffs()).singleElement().asString().startsWith(voices.get(0) + ": ");
    }

    @Test
    void aVoiceThatGoesSilentIsReplacedAfterTheLongestAllowedSilence() throws Exception {
        cartesia.delayFirstByte(FIRST, 5_000);
        long started = System.nanoTime();
        RecordingListener listener = speak(FIRST, SECOND, THIRD);

        assertThat(listener.awaitEnd(Duration.ofSeconds(10))).isInstanceOf(RecordingListener.Done.class);
        long firstAudioMs = (listener.audioEvents().get(0).atNanos() - started) / 1_000_000;
        assertThat(firstAudioMs).as("first audio, from the offline voice, once Cartesia had been silent too long")
                .isGreaterThanOrEqualTo(MAX_SILENCE_MS);
        assertThat(listener.audio()).isEqualTo(concat(voice.speakMuLaw(FIRST), voice.speakMuLaw(SECOND),
                voice.speakMuLaw(THIRD)));
    }

    @Test
    void aModelThatPausesMidAnswerKeepsItsVoice() throws Exception {
        RecordingListener listener = new RecordingListener();
        SpeechStream stream = chain.open("turn-1", listener);
        stream.push(FIRST);
        listener.awaitAudio(voice.speakMuLaw(FIRST).length, Duration.ofSeconds(5));
        listener.awaitWords(CartesiaStandIn.words(FIRST).size(), Duration.ofSeconds(5));
        // Longer than max-silence, and long enough for Cartesia to let the context expire.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !cartesia.expiredContexts().isEmpty());
        stream.push(SECOND);
        stream.finish();

        assertThat(listener.awaitEnd(Duration.ofSeconds(10))).isInstanceOf(RecordingListener.Done.class);
        assertThat(cartesia.connections().get(0).messages()).as("Cartesia spoke the rest of the answer too")
                .anyMatch(message -> message.contains(SECOND.trim()));
        assertThat(listener.audio()).isEqualTo(concat(voice.speakMuLaw(FIRST), voice.speakMuLaw(SECOND)));
    }

    @Test
    void aStalledVoiceHasItsSocketReplacedAndIsSkippedAfterTwoTurns() throws Exception {
        cartesia.stallEverySocket();
        for (String line : List.of(FIRST, SECOND)) {
            RecordingListener listener = speak(line);
            assertThat(listener.awaitEnd(Duration.ofSeconds(10))).isInstanceOf(RecordingListener.Done.class);
            assertThat(listener.audio()).as("the offline voice took over").isEqualTo(voice.speakMuLaw(line));
        }
        assertThat(cartesia.connections()).as("the stalled socket was replaced for the second turn").hasSize(2);

        RecordingListener third = speak(THIRD);
        assertThat(third.awaitEnd(Duration.ofSeconds(10))).isInstanceOf(RecordingListener.Done.class);
        assertThat(third.audio()).isEqualTo(voice.speakMuLaw(THIRD));
        assertThat(cartesia.connections()).as("the third turn skipped Cartesia").hasSize(2)
                .allSatisfy(connection -> assertThat(connection.messages()).noneMatch(m -> m.contains("demo next week")));
    }

    @Test
    void whenEveryVoiceFailsTheTurnFails() throws Exception {
        VoiceChain cartesiaOnly = new VoiceChain(List.of(new CartesiaTts(new CartesiaSettings(cartesia.url(),
                "cartesia-key", "2025-04-16", "sonic-2", "voice-42", "en"))), MAX_SILENCE_MS, BREAKER);
        try {
            cartesia.errorOn(FIRST);
            RecordingListener listener = new RecordingListener();
            SpeechStream stream = cartesiaOnly.open("turn-1", listener);
            stream.push(FIRST);
            stream.finish();
            assertThat(listener.awaitEnd(Duration.ofSeconds(5))).isInstanceOfSatisfying(RecordingListener.Failed.class,
                    failed -> assertThat(failed.problem()).startsWith("every voice failed; last, cartesia"));
        } finally {
            cartesiaOnly.close();
        }
    }

    /** Pushes a whole reply at once. */
    private RecordingListener speak(String... phrases) {
        RecordingListener listener = new RecordingListener();
        SpeechStream stream = chain.open("turn-1", listener);
        for (String phrase : phrases) {
            stream.push(phrase);
        }
        stream.finish();
        return listener;
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }
}
