package parley.operations;

import java.util.concurrent.TimeUnit;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;
import parley.stt.ConnectionHistory;
import parley.stt.DeepgramLiveClient;

/**
 * The speech recognizer, as the latest connection to it went: down when the last stream to try could not
 * connect (calls are not heard), up when it connected or none has tried yet. No probe is sent: a connection to
 * Deepgram is a billed stream.
 */
@Component
public class RecognizerHealthIndicator implements HealthIndicator {

    private final DeepgramLiveClient recognizer;

    public RecognizerHealthIndicator(DeepgramLiveClient recognizer) {
        this.recognizer = recognizer;
    }

    @Override
    public Health health() {
        ConnectionHistory.Latest latest = recognizer.connections().latest();
        Health.Builder health = latest.failure() == null ? Health.up() : Health.down()
                .withDetail("failure", latest.failure());
        health.withDetail("recognizer", recognizer.name());
        if (latest.everTried()) {
            health.withDetail("latestConnectionSecondsAgo", TimeUnit.NANOSECONDS.toSeconds(latest.ageNanos()));
        }
        return health.build();
    }
}
