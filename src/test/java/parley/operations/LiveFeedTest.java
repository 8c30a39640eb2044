package parley.operations;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import parley.simulator.CallSimulator;
import parley.simulator.SimulatedCall;
import parley.support.RunningParley;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live feed, read as a browser reads it: a call on another instance sharing the database shows up here,
 * its lines as they are said and its turns' gaps as they are answered; without access, nothing.
 */
@TestPropertySource(properties = {"parley.records.api-token=" + LiveFeedTest.TOKEN,
        "parley.records.operator-password=correct horse battery staple", "parley.outbound.instance=watched"})
class LiveFeedTest extends RunningParley {

    static final String TOKEN = "live-feed-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    EmbeddedPostgres postgres;

    @Test
    void withoutAccessTheFeedIsRefused() throws Exception {
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(httpUrl(LiveStream.PATH)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(401);
    }

    @Test
    void aFeedOpenedMidCallStartsWithTheCallsUnderWayAsToldSoFar() throws Exception {
        String sid = "CAlive0000000000000000000000002";
        JdbcTemplate database = new JdbcTemplate(postgres.getPostgresDatabase());
        try (CallSimulator simulator = new CallSimulator()) {
            CompletableFuture<Void> call = CompletableFuture.runAsync(() -> {
                try {
                    simulator.run(SimulatedCall.to(mediaUrl().toString()).callSid(sid).say("Sure, I have a minute.")
                            .idleHangup(Duration.ofSeconds(2)).maxDuration(Duration.ofSeconds(30)).build());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // The caller has spoken: the call's row holds its start and at least that line.
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> database.queryForObject(
                    "SELECT count(*) FROM live_call c, jsonb_array_elements(c.events) e WHERE c.call_sid = ?"
                            + " AND e->>'type' = 'line' AND e->>'speaker' = 'caller'", Integer.class, sid) > 0);

            BlockingQueue<JsonNode> events = openFeed();
            List<JsonNode> first = new ArrayList<>();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                events.drainTo(first);
                return first.stream().anyMatch(event -> event.path("speaker").asText().equals("caller")
                        && event.path("callSid").asText().equals(sid));
            });
            assertThat(first.get(0).path("type").asText()).as("the call's start comes first").isEqualTo("started");
            assertThat(first.get(0).path("callSid").asText()).isEqualTo(sid);
            call.get(40, TimeUnit.SECONDS);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> database.queryForObject(
                    "SELECT count(*) FROM live_call WHERE call_sid = ?", Integer.class, sid) == 0);
        }
    }

    /** The feed as a browser reads it: each {@code data:} line's JSON, as it comes. */
    private BlockingQueue<JsonNode> openFeed() throws Exception {
        BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
        HttpResponse<Stream<String>> feed = http.send(HttpRequest.newBuilder(httpUrl(LiveStream.PATH))
                .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(feed.statusCode()).isEqualTo(200);
        assertThat(feed.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        CompletableFuture.runAsync(() -> feed.body().filter(line -> line.startsWith("data: ")).forEach(line -> {
            try {
                events.add(JSON.readTree(line.substring("data: ".length())));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
        return events;
    }

    @Test
    void aCallOnAnotherInstanceIsSeenHereAsItHappens() throws Exception {
        BlockingQueue<JsonNode> events = openFeed();
        String sid = "CAlive0000000000000000000000001";
        try (ConfigurableApplicationContext other = secondInstance(postgres, "--parley.outbound.instance=other");
             CallSimulator simulator = new CallSimulator()) {
            int port = Integer.parseInt(other.getEnvironment().getProperty("server.port"));
            simulator.run(SimulatedCall.to("ws://127.0.0.1:" + port + "/twilio/media").callSid(sid)
                    .parameter("From", "+15550100777").say("Sure, I have a minute.")
                    .idleHangup(Duration.ofSeconds(2)).maxDuration(Duration.ofSeconds(30)).build());

            List<JsonNode> seen = new ArrayList<>();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                events.drainTo(seen);
                return seen.stream().anyMatch(event -> event.path("type").asText().equals("ended")
                        && event.path("callSid").asText().equals(sid));
            });
            List<JsonNode> call = seen.stream().filter(event -> event.path("callSid").asText().equals(sid)).toList();
            assertThat(call).allSatisfy(event -> assertThat(event.path("instance").asText()).isEqualTo("other"));
            assertThat(call.get(0).path("type").asText()).isEqualTo("started");
            assertThat(call.get(0).path("from").asText()).isEqualTo("+15550100777");
            assertThat(call).filteredOn(event -> event.path("type").asText().equals("line")
                    && event.path("speaker").asText().equals("caller"))
                    .extracting(event -> event.path("said").asText()).containsExactly("Sure, I have a minute.");
            assertThat(call).filteredOn(event -> event.path("type").asText().equals("line")
                    && event.path("speaker").asText().equals("agent")).isNotEmpty();
            assertThat(call).filteredOn(event -> event.path("type").asText().equals("turn"))
                    .singleElement().satisfies(turn -> assertThat(turn.path("firstAudioMs").asLong()).isPositive());
        }
    }
}
