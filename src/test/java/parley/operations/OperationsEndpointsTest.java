package parley.operations;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import parley.call.CallRegistry;
import parley.simulator.SimulatedCall;
import parley.support.RunningParley;
import parley.support.WatchedCall;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Health and metrics on Parley's one port, as a load balancer and Prometheus ask for them, with no login.
 */
class OperationsEndpointsTest extends RunningParley {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FIRST_AUDIO_COUNT =
            Pattern.compile("parley_turn_step_seconds_count\\{step=\"first_audio\"} (\\S+)");
    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    CallRegistry calls;

    @Test
    void healthIsUpWithEachPartItNeeds() throws Exception {
        HttpResponse<String> answer = get("/actuator/health");
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode health = JSON.readTree(answer.body());
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components").path("db").path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components").path("recognizer").path("details").path("recognizer").asText())
                .startsWith("deepgram ");
        assertThat(health.path("components").path("voices").path("details").path("speaking").asText())
                .isEqualTo("offline");
        assertThat(health.path("components").path("records").path("details").path("waitingInJournal").asInt())
                .isZero();
        assertThat(health.path("components").has("kafka")).as("no Kafka without outbound calling").isFalse();
    }

    @Test
    void metricsAreServedInPrometheusTextWithEachAnsweredTurnTimed() throws Exception {
        double before = firstAudioCount(get("/actuator/prometheus").body());
        WatchedCall.place(calls, SimulatedCall.to(mediaUrl().toString()).say("Sure, I have a minute.")
                .idleHangup(Duration.ofSeconds(2)).maxDuration(Duration.ofSeconds(30)).build());

        HttpResponse<String> answer = get("/actuator/prometheus");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        String metrics = answer.body();
        assertThat(firstAudioCount(metrics)).as("the call's answered turn").isEqualTo(before + 1);
        assertThat(metrics).contains("parley_calls_live ")
                .contains("parley_turn_step_seconds_bucket{step=\"decided\",le=")
                .contains("parley_turn_step_seconds_bucket{step=\"first_audio\",le=\"0.20132659\"}")
                .contains("parley_call_events_total{kind=\"barge-in\"}")
                .contains("parley_call_events_total{kind=\"provider-error\"}")
                .contains("parley_queue_depth{queue=\"call-records\"} 0.0")
                .contains("parley_records_waiting 0.0");
    }

    private static double firstAudioCount(String metrics) {
        Matcher count = FIRST_AUDIO_COUNT.matcher(metrics);
        return count.find() ? Double.parseDouble(count.group(1)) : 0;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(httpUrl(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
