package parley.operations;

import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import parley.support.RunningParley;

import static org.assertj.core.api.Assertions.assertThat;

/** A part Parley needs is down (here Kafka, with outbound calling on): health says which, and answers 503. */
class HealthDownTest extends RunningParley {

    @DynamicPropertySource
    static void kafkaNobodyAnswers(DynamicPropertyRegistry registry) throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        int port = closed;
        registry.add("parley.outbound.enabled", () -> "true");
        registry.add("parley.outbound.kafka-brokers", () -> "127.0.0.1:" + port);
    }

    @Test
    void healthNamesThePartThatIsDownAndAnswers503() throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                httpUrl("/actuator/health")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(503);
        JsonNode health = new ObjectMapper().readTree(answer.body());
        assertThat(health.path("status").asText()).isEqualTo("DOWN");
        assertThat(health.path("components").path("kafka").path("status").asText()).isEqualTo("DOWN");
        assertThat(health.path("components").path("kafka").path("details").path("failure").asText())
                .startsWith("not reached within 3 s");
        assertThat(health.path("components").path("db").path("status").asText()).isEqualTo("UP");
    }
}
