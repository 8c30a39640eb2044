package parley.outbound;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import parley.support.RunningParley;

/**
 * Parley with outbound calling on: a real Kafka broker (KRaft) in this JVM brings the dial requests. With no
 * Twilio account, the calls go to the simulated phone network; {@link TwilioOutboundParley} gives them to the
 * Twilio Calls API stand-in. All test classes share one broker; each uses its own leads and accounts, and each
 * Parley its own dial topic and consumer group (a Parley kept for later test classes must not take the requests
 * meant for another).
 */
abstract class OutboundParley extends RunningParley {

    static final String TOPIC = "test.dial-requests";
    static final String DEAD = "test.dial-requests.dead";
    static final String OUTCOMES = "test.dial-outcomes";
    static final String GROUP = "test-dialer";
    static final String CALLER_ID = "+15550109999";
    static final String API_TOKEN = "outbound-api-token";
    /** Calls under way one account may have. */
    static final int MAX_CONCURRENT = 2;

    private static final ObjectMapper JSON = new ObjectMapper();
    static final EmbeddedKafkaKraftBroker KAFKA = broker();

    @DynamicPropertySource
    static void outbound(DynamicPropertyRegistry registry) {
        registry.add("parley.outbound.enabled", () -> "true");
        registry.add("parley.records.api-token", () -> API_TOKEN);
        registry.add("parley.outbound.kafka-brokers", KAFKA::getBrokersAsString);
        registry.add("parley.outbound.dead-letter-topic", () -> DEAD);
        registry.add("parley.outbound.outcomes-topic", () -> OUTCOMES);
        registry.add("parley.outbound.caller-id", () -> CALLER_ID);
        registry.add("parley.outbound.check-every", () -> "200ms");
        registry.add("parley.outbound.max-concurrent-per-account", () -> MAX_CONCURRENT);
        // The day stands still in these tests (a fixed clock): a per-second limit would never free up.
        registry.add("parley.outbound.max-dials-per-second-per-account", () -> 1000);
        registry.add("parley.outbound.campaigns.once.max-attempts", () -> 1);
        registry.add("parley.outbound.campaigns.evening.calling-from", () -> "18:00");
        registry.add("parley.outbound.campaigns.evening.calling-until", () -> "20:00");
    }

    private static EmbeddedKafkaKraftBroker broker() {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1, TOPIC, DEAD, OUTCOMES);
        broker.afterPropertiesSet();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy));
        return broker;
    }

    static void publish(String... requests) throws Exception {
        publishTo(TOPIC, requests);
    }

    static void publishTo(String topic, String... requests) throws Exception {
        Properties settings = new Properties();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBrokersAsString());
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings)) {
            for (String request : requests) {
                producer.send(new ProducerRecord<>(topic, request)).get();
            }
        }
    }

    /** Every message on {@code topic} so far that {@code wanted} accepts, read until {@code count} are found. */
    static List<JsonNode> read(String topic, int count, Predicate<JsonNode> wanted) throws Exception {
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBrokersAsString());
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<JsonNode> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (found.size() < count && System.nanoTime() < deadline) {
                collect(consumer.poll(Duration.ofMillis(200)), wanted, found);
            }
            // A message published twice would come right after: read on briefly to see it.
            collect(consumer.poll(Duration.ofMillis(500)), wanted, found);
        }
        return found;
    }

    private static void collect(Iterable<ConsumerRecord<String, String>> records, Predicate<JsonNode> wanted,
                                List<JsonNode> found) throws Exception {
        for (ConsumerRecord<String, String> record : records) {
            JsonNode message = JSON.readTree(record.value());
            if (wanted.test(message)) {
                found.add(message);
            }
        }
    }

    static String request(String key, String account, String phone, String timeZone, String window) {
        return request("spring", key, account, phone, timeZone, window);
    }

    static String request(String campaign, String key, String account, String phone, String timeZone, String window) {
        return "{\"idempotency_key\": \"" + key + "\", \"account\": \"" + account + "\", \"campaign\": \""
                + campaign + "\","
                + " \"lead_id\": \"lead-" + key + "\", \"phone\": \"" + phone + "\", \"script\": \"acme-b2b\","
                + " \"time_zone\": \"" + timeZone + "\", \"variables\": {\"first_name\": \"Jane\"}"
                + (window == null ? "" : ", \"calling_window\": " + window) + "}";
    }
}
