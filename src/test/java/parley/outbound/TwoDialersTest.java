package parley.outbound;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Parley instances dialing from one PostgreSQL, as instances in one consumer group do: each request is
 * dialed once, and one account's limit of calls under way holds across both.
 */
class TwoDialersTest extends TwilioOutboundParley {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int LEADS = 6;

    @Autowired
    EmbeddedPostgres postgres;

    @Autowired
    JdbcTemplate database;

    @Test
    void twoInstancesDialEachRequestOnceAndKeepOneAccountsLimitTogether() throws Exception {
        try (ConfigurableApplicationContext second = secondInstance(postgres,
                "--parley.outbound.enabled=true", "--parley.outbound.kafka-brokers=" + KAFKA.getBrokersAsString(),
                "--parley.outbound.dial-topic=" + TOPIC, "--parley.outbound.dead-letter-topic=" + DEAD,
                "--parley.outbound.outcomes-topic=" + OUTCOMES, "--parley.outbound.group-id=" + GROUP,
                "--parley.outbound.caller-id=" + CALLER_ID, "--parley.outbound.check-every=200ms",
                "--parley.outbound.instance=second",
                "--parley.outbound.max-concurrent-per-account=" + MAX_CONCURRENT,
                "--parley.outbound.max-dials-per-second-per-account=1000",
                "--parley.twilio.account-sid=" + ACCOUNT_SID, "--parley.twilio.auth-token=" + AUTH_TOKEN,
                "--parley.twilio.api-url=" + TWILIO.url())) {
            List<String> phones = new ArrayList<>();
            List<String> requests = new ArrayList<>();
            for (int i = 0; i < LEADS; i++) {
                String phone = String.format("+1555010030%d", i);
                phones.add(phone);
                requests.add(request("pair-" + i, "pair", phone, "America/New_York", null));
            }
            publish(requests.toArray(String[]::new));

            // Finish each call as the next comes; at no moment more than the limit under way.
            for (int finished = 0; finished < LEADS; finished++) {
                int expected = Math.min(LEADS, finished + MAX_CONCURRENT);
                Awaitility.await().atMost(WAIT).until(() -> callsTo(phones).size() >= expected);
                assertThat(callsTo(phones)).as("after %d finished", finished).hasSize(expected);
                TWILIO.finish(callsTo(phones).get(finished), "completed");
            }
            Awaitility.await().atMost(WAIT).until(() -> database.queryForObject("SELECT count(*) FROM dial_attempt"
                    + " a JOIN dial_request r USING (idempotency_key) WHERE r.account = 'pair' AND a.state = 'ended'",
                    Integer.class) == LEADS);
            assertThat(new HashSet<>(callsTo(phones).stream().map(call -> call.one("To")).toList()))
                    .as("each lead dialed once").hasSize(LEADS);
            assertThat(callsTo(phones)).hasSize(LEADS);
            assertThat(database.queryForList("SELECT DISTINCT claimed_by FROM dial_attempt a JOIN dial_request r"
                    + " USING (idempotency_key) WHERE r.account = 'pair'", String.class)).isNotEmpty();
        }
    }

    private static List<TwilioCallsStandIn.Created> callsTo(List<String> phones) {
        return TWILIO.created().stream().filter(call -> phones.contains(call.one("To"))).toList();
    }
}
