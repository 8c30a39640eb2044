package parley.operations;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Status;
import parley.stt.DeepgramLiveClient;
import parley.stt.DeepgramSettings;
import parley.stt.RecognitionStream;
import parley.stt.Transcript;
import parley.stt.TranscriptListener;

import static org.assertj.core.api.Assertions.assertThat;

/** The recognizer's health follows its latest connection: down once a call's stream cannot reach it. */
class RecognizerHealthTest {

    @Test
    void upBeforeAnyStreamAndDownOnceAStreamCannotConnect() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        DeepgramSettings defaults = DeepgramSettings.defaults("key-123")
                .withUrl(URI.create("ws://127.0.0.1:" + closedPort + "/v1/listen"));
        try (DeepgramLiveClient recognizer = new DeepgramLiveClient(defaults)) {
            RecognizerHealthIndicator health = new RecognizerHealthIndicator(recognizer);
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);

            RecognitionStream stream = recognizer.open("CAhealth", Map.of(), new TranscriptListener() {
                @Override
                public void onTranscript(Transcript transcript) {
                }

                @Override
                public void onSpeechStarted(double atSeconds) {
                }

                @Override
                public void onUtteranceEnd(double lastWordEndSeconds) {
                }

                @Override
                public void onError(String problem) {
                }
            });
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> health.health().getStatus() == Status.DOWN);
            assertThat(health.health().getDetails()).containsKey("failure").containsKey("latestConnectionSecondsAgo");
            stream.close();
        }
    }
}
