package parley.outbound;

import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import parley.support.RunningParley;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dial requests through a real Kafka broker (KRaft, in this JVM) into the real PostgreSQL: kept once by their
 * key, the unreadable ones sent to the dead letters with the reason, every offset committed once it is safe.
 */
class DialRequestIntakeTest extends RunningParley {

    static final String TOPIC = "test.dial-requests";
    static final String DEAD = "test.dial-requests.dead";
    static final String GROUP = "test-dialer";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EmbeddedKafkaKraftBroker KAFKA = broker(TOPIC, DEAD);

    @Autowired
    JdbcTemplate database;

    @DynamicPropertySource
    static void outbound(DynamicPropertyRegistry registry) {
        registry.add("parley.outbound.enabled", () -> "true");
        registry.add("parley.outbound.kafka-brokers", KAFKA::getBrokersAsString);
        registry.add("parley.outbound.dial-topic", () -> TOPIC);
        registry.add("parley.outbound.dead-letter-topic", () -> DEAD);
        registry.add("parley.outbound.group-id", () -> GROUP);
    }

    @AfterAll
    static void stopKafka() {
        KAFKA.destroy();
    }

    static EmbeddedKafkaKraftBroker broker(String... topics) {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1, topics);
        broker.afterPropertiesSet();
        return broker;
    }

    @Test
    void requestsAreKeptOnceByKeyTheUnreadableAreDeadLetteredAndEveryOffsetIsCommitted() throws Exception {
        List<String> sent = List.of(
                request("intake-1", "+15550100101", null),
                request("intake-1", "+15550100101", null),
                "this is not JSON",
                request("intake-2", "0207946000", null),
                request("intake-3", "+15550100103", "{\"from\": \"09:30\", \"until\": \"12:00\"}"),
                "{\"idempotency_key\": \"intake-4\", \"account\": \"acme\"}");
        try (KafkaProducer<String, String> producer = producer()) {
            for (String request : sent) {
                producer.send(new ProducerRecord<>(TOPIC, request)).get();
            }
        }

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> committed() == sent.size());
        assertThat(database.queryForList("SELECT idempotency_key FROM dial_request ORDER BY idempotency_key",
                String.class)).containsExactly("intake-1", "intake-3");
        assertThat(database.queryForList("SELECT idempotency_key, attempt_number, state FROM dial_attempt"
                + " ORDER BY idempotency_key")).extracting(row -> row.get("idempotency_key") + "/"
                + row.get("attempt_number") + "/" + row.get("state")).containsExactly("intake-1/1/pending",
                "intake-3/1/pending");
        Map<String, Object> windowed = database.queryForMap(
                "SELECT window_start, window_end, time_zone, variables::text AS variables FROM dial_request"
                        + " WHERE idempotency_key = 'intake-3'");
        assertThat(windowed.get("window_start").toString()).isEqualTo("09:30:00");
        assertThat(windowed.get("window_end").toString()).isEqualTo("12:00:00");
        assertThat(JSON.readTree((String) windowed.get("variables")).path("first_name").asText()).isEqualTo("Jane");
        assertThat(database.queryForObject("SELECT window_start FROM dial_request WHERE idempotency_key = 'intake-1'",
                java.sql.Time.class).toLocalTime()).as("the default window").isEqualTo(LocalTime.of(8, 0));

        List<JsonNode> letters = deadLetters(3);
        assertThat(letters).extracting(letter -> letter.path("reason").asText()).satisfiesExactly(
                reason -> assertThat(reason).startsWith("not JSON"),
                reason -> assertThat(reason).startsWith("phone is not an E.164 number"),
                reason -> assertThat(reason).isEqualTo("phone is missing"));
        assertThat(letters.get(0).path("request").asText()).isEqualTo("this is not JSON");
        assertThat(letters.get(0).path("offset").asLong()).isEqualTo(2);
    }

    static String request(String key, String phone, String window) {
        return "{\"idempotency_key\": \"" + key + "\", \"account\": \"acme\", \"campaign\": \"spring\","
                + " \"lead_id\": \"lead-" + key + "\", \"phone\": \"" + phone + "\", \"script\": \"acme-b2b\","
                + " \"time_zone\": \"America/New_York\", \"variables\": {\"first_name\": \"Jane\"}"
                + (window == null ? "" : ", \"calling_window\": " + window) + "}";
    }

    static KafkaProducer<String, String> producer() {
        Properties settings = new Properties();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBrokersAsString());
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return new KafkaProducer<>(settings);
    }

    /** The dialer group's committed offset on the request topic's one partition. */
    private static long committed() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBrokersAsString()))) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get()
                    .get(new TopicPartition(TOPIC, 0));
            return offset == null ? -1 : offset.offset();
        }
    }

    private static List<JsonNode> deadLetters(int expected) throws Exception {
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBrokersAsString());
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, "test-dead-letter-reader");
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<JsonNode> letters = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings)) {
            consumer.subscribe(List.of(DEAD));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (letters.size() < expected && System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    letters.add(JSON.readTree(record.value()));
                }
            }
        }
        return letters;
    }
}
