package parley.outbound;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dial requests through a real Kafka broker (KRaft, in this JVM) into the real PostgreSQL: kept once by their
 * key, the unreadable ones sent to the dead letters with the reason, every offset committed once it is safe.
 */
class DialRequestIntakeTest extends TwilioOutboundParley {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    JdbcTemplate database;

    @Autowired
    CamelContext camel;

    @Test
    void requestsAreKeptOnceByKeyTheUnreadableAreDeadLetteredAndEveryOffsetIsCommitted() throws Exception {
        List<String> sent = List.of(
                request("intake-1", "+15550100101", null),
                request("intake-1", "+15550100101", null),
                "this is not JSON",
                request("intake-2", "0207946000", null),
                request("intake-3", "+15550100103", "{\"from\": \"09:30\", \"until\": \"12:00\"}"),
                "{\"idempotency_key\": \"intake-4\", \"account\": \"acme\"}");
        long start = endOffset();
        publish(sent.toArray(String[]::new));

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> committed() == start + sent.size());
        assertThat(database.queryForList("SELECT idempotency_key FROM dial_request WHERE account = 'intake'"
                + " ORDER BY idempotency_key", String.class)).containsExactly("intake-1", "intake-3");
        assertThat(database.queryForList("SELECT idempotency_key, attempt_number FROM dial_attempt"
                + " WHERE idempotency_key LIKE 'intake-%' ORDER BY idempotency_key")).extracting(row ->
                row.get("idempotency_key") + "/" + row.get("attempt_number")).containsExactly("intake-1/1", "intake-3/1");
        Map<String, Object> windowed = database.queryForMap(
                "SELECT window_start, window_end, time_zone, variables::text AS variables FROM dial_request"
                        + " WHERE idempotency_key = 'intake-3'");
        assertThat(windowed.get("window_start").toString()).isEqualTo("09:30:00");
        assertThat(windowed.get("window_end").toString()).isEqualTo("12:00:00");
        assertThat(JSON.readTree((String) windowed.get("variables")).path("first_name").asText()).isEqualTo("Jane");
        assertThat(database.queryForObject("SELECT window_start FROM dial_request WHERE idempotency_key = 'intake-1'",
                java.sql.Time.class).toLocalTime()).as("the default window").isEqualTo(LocalTime.of(8, 0));

        List<JsonNode> letters = read(DEAD, 3, letter -> letter.path("offset").asLong() >= start);
        assertThat(letters).extracting(letter -> letter.path("reason").asText()).satisfiesExactly(
                reason -> assertThat(reason).startsWith("not JSON"),
                reason -> assertThat(reason).startsWith("phone is not an E.164 number"),
                reason -> assertThat(reason).isEqualTo("phone is missing"));
        assertThat(letters.get(0).path("request").asText()).isEqualTo("this is not JSON");
        assertThat(letters.get(0).path("offset").asLong()).isEqualTo(start + 2);
    }

    @Test
    void aConsumerKilledAfterDialingAndBeforeCommittingReadsTheRequestAgainAndDoesNotDialAgain() throws Exception {
        String phone = "+15550100171";
        AtomicInteger reads = new AtomicInteger();
        AtomicBoolean killNext = new AtomicBoolean(true);
        AdviceWith.adviceWith(camel, "dial-requests", route -> route.weaveById("commit-offset").before()
                .process(exchange -> {
                    if (!(exchange.getMessage().getBody() instanceof DialRequest request)
                            || !request.idempotencyKey().equals("crash-1")) {
                        return;
                    }
                    reads.incrementAndGet();
                    if (killNext.getAndSet(false)) {
                        // Stored, and dialed by the attempt's own schedule: now the consumer dies, uncommitted.
                        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> callsTo(phone) == 1);
                        new Thread(() -> stopRoute()).start();
                        throw new IllegalStateException("killed before the commit");
                    }
                }));
        long start = endOffset();
        publish(OutboundParley.request("crash-1", "crashes", phone, "America/New_York", null));

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> camel.getRouteController()
                .getRouteStatus("dial-requests").isStopped());
        assertThat(committed()).as("nothing committed").isLessThanOrEqualTo(start);
        camel.getRouteController().startRoute("dial-requests");

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> committed() == start + 1);
        assertThat(reads.get()).as("read again after the restart").isGreaterThanOrEqualTo(2);
        assertThat(database.queryForObject("SELECT count(*) FROM dial_attempt WHERE idempotency_key = 'crash-1'",
                Integer.class)).isEqualTo(1);
        assertThat(callsTo(phone)).as("dialed once").isEqualTo(1);
    }

    @Test
    void healthShowsTheKafkaBrokersReached() throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                httpUrl("/actuator/health")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode kafka = JSON.readTree(answer.body()).path("components").path("kafka");
        assertThat(kafka.path("status").asText()).isEqualTo("UP");
        assertThat(kafka.path("details").path("brokers").asText()).isEqualTo(KAFKA.getBrokersAsString());
        assertThat(kafka.path("details").path("nodes").asInt()).isEqualTo(1);
    }

    private void stopRoute() {
        try {
            camel.getRouteController().stopRoute("dial-requests");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long callsTo(String phone) {
        return TWILIO.created().stream().filter(call -> phone.equals(call.one("To"))).count();
    }

    private static String request(String key, String phone, String window) {
        return OutboundParley.request(key, "intake", phone, "America/New_York", window);
    }

    private static long committed() throws Exception {
        return KafkaOffsets.committed(KAFKA, GROUP, TOPIC);
    }

    private static long endOffset() throws Exception {
        return KafkaOffsets.end(KAFKA, TOPIC);
    }
}
