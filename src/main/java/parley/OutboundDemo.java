package parley;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import parley.config.ParleyProperties;
import parley.conversation.SalesScript;
import parley.outbound.DialQueue;

/**
 * {@code java -jar parley.jar demo outbound}: a Kafka broker in this JVM, Parley with outbound calling on and no
 * Twilio account, so that its calls go to the simulated phone network, and a sales team's dial requests on the
 * topic: one lead of each kind the network has (books a meeting, asks to be called back, opts out, busy, no
 * answer, an answering machine), one on the do-not-call list, one whose clock says it is night, the same
 * request twice, and one that cannot be read. It prints what became of each, as the outcomes and dead-letter
 * topics and PostgreSQL say, and exits 0 when each went as it should. Needs no keys and no network; the
 * database is a fresh one in {@code parley-demo/outbound-db} each time.
 */
final class OutboundDemo {

    private static final Path DATABASE = Path.of("parley-demo", "outbound-db");
    private static final Duration EVERY_FATE = Duration.ofMinutes(4);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = "acme";
    /** The simulated network's answering machine (application.yaml). */
    private static final String MACHINE = "+15550100106";

    /** One dial request, and the outcome it should have. */
    private record Lead(String key, String phone, String who, String zone, Predicate<JsonNode> expected) {
    }

    private OutboundDemo() {
    }

    static int run(String[] settings) {
        String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        // Leads on a clock where it is early afternoon now, so that every one of them may be called at once.
        String day = zoneAt(LocalTime.of(13, 0));
        String night = zoneAt(LocalTime.of(3, 0));
        List<Lead> leads = List.of(
                new Lead(run + "-books", "+15550100101", "answers and books a meeting", day,
                        outcome -> is(outcome, "status", "answered") && is(outcome, "outcome", "booked")),
                new Lead(run + "-later", "+15550100102", "asks to be called back tomorrow at 3 pm", day,
                        outcome -> is(outcome, "outcome", "call_back_later")
                                && is(outcome, "next_attempt_at", tomorrowAt3pm(day).toString())),
                new Lead(run + "-opt-out", "+15550100103", "asks not to be called again", day,
                        outcome -> is(outcome, "outcome", "do_not_call")),
                new Lead(run + "-busy", "+15550100104", "is busy", day,
                        outcome -> is(outcome, "status", "busy") && !outcome.path("next_attempt_at").isNull()),
                new Lead(run + "-no-answer", "+15550100105", "does not answer", day,
                        outcome -> is(outcome, "status", "no_answer")),
                new Lead(run + "-machine", MACHINE, "has an answering machine", day,
                        outcome -> is(outcome, "status", "voicemail") && is(outcome, "answered_by", "machine_end_beep")),
                new Lead(run + "-listed", "+15550100107", "is on the do-not-call list", day,
                        outcome -> is(outcome, "status", "do_not_call")));
        Lead asleep = new Lead(run + "-night", "+15550100108", "lives where it is 3 am", night, outcome -> false);
        String unreadable = "{\"idempotency_key\": \"" + run + "-bad\", \"account\": \"" + ACCOUNT
                + "\", \"lead_id\": \"bad\", \"phone\": \"555-0100\", \"script\": \"acme-b2b\", \"time_zone\": \""
                + day + "\"}";

        int port = Demo.freePort();
        wipe(DATABASE);
        try (InProcessKafka kafka = new InProcessKafka()) {
            List<String> args = Demo.settings(port, UUID.randomUUID().toString(), settings);
            args.add("--parley.outbound.enabled=true");
            args.add("--parley.outbound.kafka-brokers=" + kafka.brokers());
            args.add("--parley.twilio.account-sid=");
            args.add("--parley.twilio.auth-token=");
            args.add("--parley.records.database-folder=" + DATABASE);
            args.add("--parley.outbound.simulator.no-answer-after=10s");
            args.add("--parley.outbound.simulator.max-calls=" + leads.size());
            try (ConfigurableApplicationContext parley = new SpringApplicationBuilder(Parley.class)
                    .run(args.toArray(String[]::new))) {
                ParleyProperties.Outbound topics = parley.getBean(ParleyProperties.class).outbound();
                parley.getBean(DialQueue.class).doNotCall("+15550100107", "on the company's list");
                List<String> requests = new ArrayList<>();
                for (Lead lead : leads) {
                    requests.add(request(lead));
                }
                requests.add(request(leads.get(0)));
                requests.add(request(asleep));
                requests.add(unreadable);
                System.out.printf(Locale.ROOT, "%nDial requests on %s (Kafka in this JVM, %s); calls go to the"
                        + " simulated phone network:%n", topics.dialTopic(), kafka.brokers());
                for (Lead lead : leads) {
                    System.out.printf(Locale.ROOT, "  %-16s %s, who %s%n", lead.key(), lead.phone(), lead.who());
                }
                System.out.printf(Locale.ROOT, "  %-16s the same request again%n  %-16s %s, who %s%n"
                        + "  %-16s a phone number that is not E.164%n%nWhat became of each:%n",
                        leads.get(0).key(), asleep.key(), asleep.phone(), asleep.who(), run + "-bad");
                publish(kafka.brokers(), topics.dialTopic(), requests);
                Map<String, JsonNode> outcomes = new LinkedHashMap<>();
                List<JsonNode> deadLetters = new ArrayList<>();
                follow(kafka.brokers(), topics, run, leads.size(), outcomes, deadLetters);
                return verdict(parley.getBean(JdbcTemplate.class), parley.getBean(SalesScript.class).voicemail(), leads,
                        asleep, outcomes, deadLetters);
            }
        }
    }

    /** Reads the outcomes and dead letters of this run as they come, printing each, until every lead has one. */
    private static void follow(String brokers, ParleyProperties.Outbound topics, String run, int leads,
                               Map<String, JsonNode> outcomes, List<JsonNode> deadLetters) {
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, "parley-demo-" + run);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        long start = System.nanoTime();
        long deadline = start + EVERY_FATE.toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings)) {
            consumer.subscribe(List.of(topics.outcomesTopic(), topics.deadLetterTopic()));
            while ((outcomes.size() < leads || deadLetters.isEmpty()) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode message = JSON.readTree(record.value());
                    double at = (System.nanoTime() - start) / 1e9;
                    if (record.topic().equals(topics.deadLetterTopic())) {
                        deadLetters.add(message);
                        System.out.printf(Locale.ROOT, "  %5.1f s  dead letter: %s%n", at,
                                message.path("reason").asText());
                    } else if (message.path("idempotency_key").asText().startsWith(run + "-")) {
                        outcomes.merge(message.path("idempotency_key").asText(), message, (first, again) -> {
                            System.out.println("  published twice: " + again);
                            return first;
                        });
                        System.out.printf(Locale.ROOT, "  %5.1f s  %s%n", at, describe(message));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String describe(JsonNode outcome) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%-16s %s",
                outcome.path("idempotency_key").asText(), outcome.path("status").asText()));
        if (outcome.hasNonNull("answered_by")) {
            text.append(" (answered by ").append(outcome.path("answered_by").asText()).append(')');
        }
        if (outcome.hasNonNull("outcome")) {
            text.append(", the conversation ended ").append(outcome.path("outcome").asText());
        }
        if (outcome.path("meeting").isObject()) {
            text.append(", meeting ").append(outcome.path("meeting"));
        }
        if (outcome.hasNonNull("next_attempt_at")) {
            text.append("; called again at ").append(outcome.path("next_attempt_at").asText());
        } else {
            text.append("; not called again");
        }
        if (outcome.hasNonNull("summary")) {
            text.append("\n           summary: ").append(outcome.path("summary").asText());
        }
        return text.toString();
    }

    /** Prints how each request fared against what it should have, and returns 0 when every one did. */
    private static int verdict(JdbcTemplate database, String voicemail, List<Lead> leads, Lead asleep,
                               Map<String, JsonNode> outcomes, List<JsonNode> deadLetters) {
        System.out.println("\nAs it should be:");
        boolean allWell = true;
        for (Lead lead : leads) {
            JsonNode outcome = outcomes.get(lead.key());
            boolean well = outcome != null && lead.expected().test(outcome);
            allWell &= well;
            System.out.printf(Locale.ROOT, "  %-4s %-16s who %s%n", well ? "yes" : "NO", lead.key(), lead.who());
        }
        Integer kept = database.queryForObject("SELECT count(*) FROM dial_attempt WHERE idempotency_key = ?"
                + " AND attempt_number = 1", Integer.class, leads.get(0).key());
        boolean once = kept == 1;
        System.out.printf(Locale.ROOT, "  %-4s the request sent twice was kept and dialed once (%d first attempt)%n",
                once ? "yes" : "NO", kept);
        List<Timestamp> due = database.queryForList("SELECT due_at FROM dial_attempt WHERE idempotency_key = ?"
                + " AND state = 'pending'", Timestamp.class, asleep.key());
        boolean waits = due.size() == 1 && !outcomes.containsKey(asleep.key());
        System.out.printf(Locale.ROOT, "  %-4s %s waits for 8:00 on their clock: due %s%n", waits ? "yes" : "NO",
                asleep.key(), due.isEmpty() ? "never" : due.get(0).toInstant());
        JsonNode machine = leads.stream().filter(lead -> lead.phone().equals(MACHINE)).findFirst()
                .map(lead -> outcomes.get(lead.key())).orElse(null);
        List<String> toMachine = machine == null ? List.of() : database.queryForList("SELECT said FROM call_line"
                + " WHERE call_sid = ? AND speaker = 'agent' ORDER BY start_ms DESC LIMIT 1", String.class,
                machine.path("call_sid").asText());
        boolean voicemailLeft = toMachine.equals(List.of(voicemail));
        System.out.printf(Locale.ROOT, "  %-4s the script's voicemail line was left after the machine's beep%n",
                voicemailLeft ? "yes" : "NO");
        Integer listed = database.queryForObject("SELECT count(*) FROM do_not_call WHERE phone = '+15550100103'",
                Integer.class);
        boolean optedOut = listed == 1;
        System.out.printf(Locale.ROOT, "  %-4s the lead who asked not to be called again is on the do-not-call list%n",
                optedOut ? "yes" : "NO");
        boolean dead = deadLetters.size() == 1;
        System.out.printf(Locale.ROOT, "  %-4s the unreadable request is a dead letter, with its reason%n",
                dead ? "yes" : "NO");
        System.out.println("\nThe calls' records, lines and recordings are in PostgreSQL (" + DATABASE.toAbsolutePath()
                + ") and " + Path.of("data", "recordings").toAbsolutePath());
        return allWell && once && waits && voicemailLeft && optedOut && dead ? 0 : 1;
    }

    private static boolean is(JsonNode outcome, String field, String value) {
        return value.equals(outcome.path(field).asText());
    }

    private static String request(Lead lead) {
        ObjectNode request = JSON.createObjectNode()
                .put("idempotency_key", lead.key())
                .put("account", ACCOUNT)
                .put("campaign", "demo")
                .put("lead_id", lead.key())
                .put("phone", lead.phone())
                .put("script", "acme-b2b")
                .put("time_zone", lead.zone());
        request.putObject("variables").put("first_name", "Jane");
        return request.toString();
    }

    private static void publish(String brokers, String topic, List<String> requests) {
        Properties settings = new Properties();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings)) {
            requests.forEach(request -> producer.send(new ProducerRecord<>(topic, request)));
        }
    }

    /** Tomorrow at 15:00 on the clock of {@code zone}: when a lead there who asks for it is called back. */
    private static Instant tomorrowAt3pm(String zone) {
        ZoneId clock = ZoneId.of(zone);
        return LocalDate.now(clock).plusDays(1).atTime(15, 0).atZone(clock).toInstant();
    }

    /** A fixed offset from UTC on whose clock it is now about {@code time}. */
    private static String zoneAt(LocalTime time) {
        int hour = Instant.now().atOffset(ZoneOffset.UTC).getHour();
        int offset = Math.floorMod(time.getHour() - hour + 12, 24) - 12;
        return ZoneOffset.ofHours(offset).getId();
    }

    static void wipe(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("could not clear " + folder + ": " + e.getMessage(), e);
        }
    }
}
