package parley.bench;

import java.time.Duration;

import parley.stt.SandboxRecognizer;
import parley.stt.SandboxSettings;

/**
 * The load benchmark's recognizer, in a process of its own so that its work is not charged to Parley: the
 * sandbox recognizer (Deepgram's live protocol, results timed by the speech it finds in the audio) answering
 * every message {@code latency} ms late, as Deepgram's processing and network time would. Prints its URL on
 * the first line of standard output and runs until standard input closes.
 */
public final class DeepgramStandIn {

    private DeepgramStandIn() {
    }

    public static void main(String[] args) throws Exception {
        Duration latency = Duration.ofMillis(Long.getLong("latency", 100));
        try (SandboxRecognizer recognizer = new SandboxRecognizer(SandboxSettings.defaults().withLatency(latency))) {
            recognizer.start();
            System.out.println(recognizer.url());
            System.out.flush();
            while (System.in.read() >= 0) {
                // Runs until the benchmark that started it closes our standard input (or dies).
            }
        }
    }
}
