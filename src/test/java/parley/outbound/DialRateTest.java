package parley.outbound;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import parley.support.SteppedClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One account's dials per second, counted in PostgreSQL, hold across two instances: while a second lasts
 * (the clock stands still) no more are dialed, and the next second lets the next ones through.
 */
class DialRateTest extends TwilioOutboundParley {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int PER_SECOND = 2;
    private static final String RATE_TOPIC = "rate.dial-requests";

    @Test
    void twoInstancesTogetherDialNoMoreThanTheAccountsDialsPerSecond() throws Exception {
        SteppedClock.set(NOW);
        List<String> phones = IntStream.rangeClosed(1, 5).mapToObj(i -> "+1555010019" + i).toList();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
             ConfigurableApplicationContext one = instance(postgres, "one");
             ConfigurableApplicationContext two = instance(postgres, "two")) {
            JdbcTemplate database = new JdbcTemplate(postgres.getPostgresDatabase());
            publishTo(RATE_TOPIC, phones.stream().map(phone -> request("rate-" + phone.substring(10), "rate", phone,
                    "America/New_York", null)).toArray(String[]::new));
            Awaitility.await().atMost(WAIT).until(() -> database.queryForObject("SELECT count(*) FROM dial_attempt",
                    Integer.class) == phones.size() && calls(phones) >= PER_SECOND);
            // Both instances keep looking while the second lasts: wait until each has found the account held again.
            awaitEachHeldAgain(one, two);
            assertThat(calls(phones)).as("in the first second").isEqualTo(PER_SECOND);

            SteppedClock.step(Duration.ofSeconds(1));
            Awaitility.await().atMost(WAIT).until(() -> calls(phones) >= 2 * PER_SECOND);
            awaitEachHeldAgain(one, two);
            assertThat(calls(phones)).as("in the second second").isEqualTo(2 * PER_SECOND);

            SteppedClock.step(Duration.ofSeconds(1));
            Awaitility.await().atMost(WAIT).until(() -> calls(phones) == phones.size());
            assertThat(database.queryForList("SELECT count(*) FROM dial_attempt GROUP BY dialed_at", Integer.class))
                    .containsExactlyInAnyOrder(PER_SECOND, PER_SECOND, 1);
        } finally {
            SteppedClock.set(NOW);
        }
    }

    /** Returns once each instance has, since the call, found a due attempt held by the account's limit. */
    private static void awaitEachHeldAgain(ConfigurableApplicationContext... instances) {
        for (ConfigurableApplicationContext instance : instances) {
            Counter held = instance.getBean(MeterRegistry.class).counter("parley.outbound.dials.held",
                    "reason", "account_limit");
            double before = held.count();
            Awaitility.await().atMost(WAIT).until(() -> held.count() > before);
        }
    }

    private static ConfigurableApplicationContext instance(EmbeddedPostgres postgres, String name) {
        return secondInstance(SteppedClock.SteppedDay.class, postgres, "--parley.outbound.enabled=true",
                "--parley.outbound.kafka-brokers=" + KAFKA.getBrokersAsString(),
                "--parley.outbound.dial-topic=" + RATE_TOPIC, "--parley.outbound.dead-letter-topic=" + DEAD,
                "--parley.outbound.outcomes-topic=" + OUTCOMES, "--parley.outbound.group-id=rate-dialer",
                "--parley.outbound.caller-id=" + CALLER_ID, "--parley.outbound.check-every=100ms",
                "--parley.outbound.instance=" + name,
                "--parley.outbound.max-dials-per-second-per-account=" + PER_SECOND,
                "--parley.twilio.account-sid=" + ACCOUNT_SID, "--parley.twilio.auth-token=" + AUTH_TOKEN,
                "--parley.twilio.api-url=" + TWILIO.url());
    }

    private static int calls(List<String> phones) {
        return (int) TWILIO.created().stream().filter(call -> phones.contains(call.one("To"))).count();
    }
}
