package parley.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import parley.audio.OfflineVoice;
import parley.tts.RecordingListener.Audio;
import parley.tts.RecordingListener.Done;
import parley.tts.RecordingListener.Failed;

class OfflineTtsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final List<String> PHRASES = List.of(
            "Hello there, this is Parley calling. ", "Do you have a minute?", "Thanks, goodbye.");

    private static OfflineVoice voice;
    private static OfflineTts tts;

    @BeforeAll
    static void allocate() {
        voice = new OfflineVoice();
        tts = new OfflineTts(voice);
    }

    @AfterAll
    static void release() {
        tts.close();
        voice.close();
    }

    @Test
    void speaksEachPhraseInOrderOnAWorkerAndIsDoneAfterFinish() throws Exception {
        RecordingListener listener = new RecordingListener();
        SpeechStream turn = tts.open("turn-1", listener);

        turn.push(PHRASES.get(0));
        listener.awaitAudio(voice.speakMuLaw(PHRASES.get(0)).length, WAIT);
        assertThat(listener.hasEnded()).isFalse();
        turn.push(PHRASES.get(1));
        turn.push("");
        turn.push(PHRASES.get(2));
        turn.finish();

        assertThat(listener.awaitEnd(WAIT)).isInstanceOf(Done.class);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        PHRASES.forEach(phrase -> expected.writeBytes(voice.speakMuLaw(phrase)));
        assertThat(listener.audio()).isEqualTo(expected.toByteArray());
        assertThat(listener.audioEvents()).hasSize(3)
                .extracting(Audio::thread).allSatisfy(thread -> assertThat(thread)
                        .startsWith("parley-offline-tts-").isNotEqualTo(Thread.currentThread().getName()));
        assertThat(listener.words()).isEmpty();
    }

    @Test
    void cancelStopsDeliveryAtOnce() throws Exception {
        RecordingListener listener = new RecordingListener();
        SpeechStream turn = tts.open("turn-1", listener);
        turn.push(PHRASES.get(0));
        for (int i = 0; i < 20; i++) {
            turn.push(PHRASES.get(1));
        }
        listener.awaitAudio(1, WAIT);

        turn.cancel();
        int eventsAtCancel = listener.events().size();
        turn.finish();
        Thread.sleep(300);

        assertThat(listener.events()).hasSize(eventsAtCancel).noneMatch(Done.class::isInstance);
        assertThat(eventsAtCancel).isLessThan(21);
    }

    @Test
    void aTurnWithoutTextIsDoneAndTextAfterFinishIsRefused() throws Exception {
        RecordingListener listener = new RecordingListener();
        SpeechStream turn = tts.open("turn-1", listener);

        turn.finish();
        turn.finish();

        assertThat(listener.awaitEnd(WAIT)).isInstanceOf(Done.class);
        assertThat(listener.events()).containsExactly(new Done());
        assertThatThrownBy(() -> turn.push("Too late.")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFailingVoiceFailsTheTurn() throws Exception {
        OfflineVoice closedVoice = new OfflineVoice();
        closedVoice.close();
        try (OfflineTts broken = new OfflineTts(closedVoice)) {
            RecordingListener listener = new RecordingListener();
            SpeechStream turn = broken.open("turn-1", listener);
            turn.push(PHRASES.get(0));
            turn.finish();

            assertThat(listener.awaitEnd(WAIT)).isInstanceOfSatisfying(Failed.class,
                    failed -> assertThat(failed.problem()).contains("closed"));
            assertThat(listener.events()).hasSize(1);
        }
    }
}
