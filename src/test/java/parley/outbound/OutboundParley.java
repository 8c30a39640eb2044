package parley.outbound;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import parley.support.RunningParley;

/**
 * Parley with outbound calling on: a real Kafka broker (KRaft) in this JVM brings the dial requests, and the
 * Twilio Calls API stand-in takes the calls. Test classes extending this share one Parley, one broker and one
 * stand-in; each uses its own leads and accounts.
 */
abstract class OutboundParley extends RunningParley {

    static final String TOPIC = "test.dial-requests";
    static final String DEAD = "test.dial-requests.dead";
    static final String GROUP = "test-dialer";
    static final String ACCOUNT_SID = "ACoutbound0000000000000000000000";
    static final String AUTH_TOKEN = "outbound-test-token";
    static final String CALLER_ID = "+15550109999";
    /** Calls under way one account may have. */
    static final int MAX_CONCURRENT = 2;

    static final EmbeddedKafkaKraftBroker KAFKA = broker();
    static final TwilioCallsStandIn TWILIO = standIn();

    @DynamicPropertySource
    static void outbound(DynamicPropertyRegistry registry) {
        registry.add("parley.outbound.enabled", () -> "true");
        registry.add("parley.outbound.kafka-brokers", KAFKA::getBrokersAsString);
        registry.add("parley.outbound.dial-topic", () -> TOPIC);
        registry.add("parley.outbound.dead-letter-topic", () -> DEAD);
        registry.add("parley.outbound.group-id", () -> GROUP);
        registry.add("parley.outbound.caller-id", () -> CALLER_ID);
        registry.add("parley.outbound.check-every", () -> "200ms");
        registry.add("parley.outbound.max-concurrent-per-account", () -> MAX_CONCURRENT);
        // The day stands still in these tests (a fixed clock): a per-second limit would never free up.
        registry.add("parley.outbound.max-dials-per-second-per-account", () -> 1000);
        registry.add("parley.twilio.account-sid", () -> ACCOUNT_SID);
        registry.add("parley.twilio.auth-token", () -> AUTH_TOKEN);
        registry.add("parley.twilio.api-url", () -> TWILIO.url().toString());
    }

    private static EmbeddedKafkaKraftBroker broker() {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1, TOPIC, DEAD);
        broker.afterPropertiesSet();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy));
        return broker;
    }

    private static TwilioCallsStandIn standIn() {
        try {
            TwilioCallsStandIn standIn = new TwilioCallsStandIn(ACCOUNT_SID, AUTH_TOKEN);
            Runtime.getRuntime().addShutdownHook(new Thread(standIn::close));
            return standIn;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void publish(String... requests) throws Exception {
        Properties settings = new Properties();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBrokersAsString());
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings)) {
            for (String request : requests) {
                producer.send(new ProducerRecord<>(TOPIC, request)).get();
            }
        }
    }

    static String request(String key, String account, String phone, String timeZone, String window) {
        return "{\"idempotency_key\": \"" + key + "\", \"account\": \"" + account + "\", \"campaign\": \"spring\","
                + " \"lead_id\": \"lead-" + key + "\", \"phone\": \"" + phone + "\", \"script\": \"acme-b2b\","
                + " \"time_zone\": \"" + timeZone + "\", \"variables\": {\"first_name\": \"Jane\"}"
                + (window == null ? "" : ", \"calling_window\": " + window) + "}";
    }
}
