package parley.records;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import parley.call.CallRegistry;
import parley.simulator.SimulatedCall;
import parley.support.RunningParley;
import parley.support.WatchedCall;

import static org.assertj.core.api.Assertions.assertThat;

/** The records read back over HTTP: only with the API token, as JSON, a call with its turns. */
@TestPropertySource(properties = "parley.records.api-token=" + RecordsApiTest.TOKEN)
class RecordsApiTest extends RunningParley {

    static final String TOKEN = "test-records-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    CallRegistry calls;

    @Test
    void withoutTheTokenEveryRequestIsAnswered401() throws Exception {
        assertThat(get("/api/calls", null).statusCode()).isEqualTo(401);
        assertThat(get("/api/calls", "wrong").statusCode()).isEqualTo(401);
        assertThat(get("/api/calls/CAanything", null).statusCode()).isEqualTo(401);
    }

    @Test
    void aCallAndItsTurnsAreReadBackAsJson() throws Exception {
        String sid = "CAapi00000000000000000000000001";
        WatchedCall.place(calls, SimulatedCall.to(mediaUrl().toString()).callSid(sid)
                .say("Sure, what's this about?")
                .idleHangup(Duration.ofSeconds(2)).maxDuration(Duration.ofSeconds(30)).build());

        JsonNode listed = Awaitility.await().atMost(Duration.ofSeconds(20)).until(
                () -> JSON.readTree(get("/api/calls", TOKEN).body()), list -> contains(list, sid));
        assertThat(listed.isArray()).isTrue();
        assertThat(contains(JSON.readTree(get("/api/calls?outcome=booked", TOKEN).body()), sid))
                .as("filtered by an outcome it did not reach").isFalse();

        HttpResponse<String> one = get("/api/calls/" + sid, TOKEN);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("json"));
        JsonNode call = JSON.readTree(one.body());
        assertThat(call.get("call_sid").asText()).isEqualTo(sid);
        assertThat(call.get("turns")).hasSize(1);
        assertThat(call.get("turns").get(0).get("said").asText()).isEqualTo("Sure, what's this about?");
        assertThat(get("/api/calls/CAnosuchcall", TOKEN).statusCode()).isEqualTo(404);
    }

    private static boolean contains(JsonNode list, String sid) {
        for (JsonNode call : list) {
            if (call.get("call_sid").asText().equals(sid)) {
                return true;
            }
        }
        return false;
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(
                mediaUrl().toString().replaceFirst("^ws", "http").replace("/twilio/media", path))).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
