package parley.outbound;

import java.net.URI;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An instance stops with attempts pending and attempts half-dialed, and one starts again on the same
 * PostgreSQL: each pending attempt is dialed once, a half-dialed one whose call Twilio placed keeps that call,
 * one Twilio never got is dialed again, and one still within its claim's time is left to its instance.
 */
class RestartDialingTest extends TwilioOutboundParley {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String RESTART_TOPIC = "restart.dial-requests";
    private static final String RESTART_GROUP = "restart-dialer";

    @Test
    void afterARestartEachAttemptLeftIsDialedOnceAndAHalfDialedOneIsNeitherLostNorDialedTwice() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            JdbcTemplate database = new JdbcTemplate(postgres.getPostgresDatabase());
            List<String> pending = List.of("+15550100181", "+15550100182", "+15550100183");
            URI stopped;
            try (ConfigurableApplicationContext first = instance(postgres, "first")) {
                stopped = URI.create(first.getEnvironment().getProperty("parley.public-url"));
                // One call at a time for this account: the first is placed, the other two wait.
                publishTo(RESTART_TOPIC, pending.stream().map(phone -> request("restart-" + phone.substring(9),
                        "restart", phone, "America/New_York", null)).toArray(String[]::new));
                Awaitility.await().atMost(WAIT).until(() -> database.queryForObject("SELECT count(*) FROM dial_attempt"
                        + " WHERE state = 'pending'", Integer.class) == 2 && calls(pending) == 1);
            }

            // What an instance that stopped mid-dial leaves: attempts claimed five minutes ago with no call stored.
            // Twilio placed one of them (its answer never reached the instance); the other never reached Twilio.
            // A third was claimed 30 s ago, within its claim's time: its instance may be placing it now.
            Instant fiveMinutesAgo = NOW.minus(Duration.ofMinutes(5));
            leftMidDial(database, "left-placed", "+15550100185", fiveMinutesAgo);
            leftMidDial(database, "left-unplaced", "+15550100184", fiveMinutesAgo);
            leftMidDial(database, "left-recent", "+15550100186", NOW.minusSeconds(30));
            TwilioCallsStandIn.Created placedBeforeTheStop = TWILIO.held("+15550100185",
                    fiveMinutesAgo.plusSeconds(1), stopped);

            try (ConfigurableApplicationContext restarted = instance(postgres, "restarted")) {
                URI reached = URI.create(restarted.getEnvironment().getProperty("parley.public-url"));
                for (int finished = 0; finished < pending.size(); finished++) {
                    int placed = finished + 1;
                    Awaitility.await().atMost(WAIT).until(() -> calls(pending) >= placed);
                    TWILIO.finishAt(callsTo(pending).get(finished), "completed", reached);
                }
                Awaitility.await().atMost(WAIT).until(() -> placedBeforeTheStop.callSid().equals(
                        attempt(database, "left-placed").get("call_sid")) && calls(List.of("+15550100184")) == 1);
                assertThat(TWILIO.finishAt(placedBeforeTheStop, "busy", reached)).isEqualTo(204);
                Awaitility.await().atMost(WAIT).until(() -> "ended".equals(attempt(database, "left-placed").get("state"))
                        && database.queryForObject("SELECT count(*) FROM dial_attempt a JOIN dial_request r"
                        + " USING (idempotency_key) WHERE r.account = 'restart' AND a.state = 'ended'",
                        Integer.class) == pending.size());

                assertThat(callsTo(pending)).extracting(call -> call.one("To"))
                        .as("each pending attempt dialed once").containsExactlyInAnyOrderElementsOf(pending);
                assertThat(calls(List.of("+15550100185"))).as("the call Twilio placed is kept, not placed again")
                        .isEqualTo(1);
                assertThat(attempt(database, "left-placed")).containsEntry("outcome", "busy")
                        .containsEntry("claimed_by", "restarted");
                assertThat(calls(List.of("+15550100184"))).as("never placed, so dialed again, once").isEqualTo(1);
                assertThat(calls(List.of("+15550100186"))).as("within its claim's time: left alone").isZero();
                assertThat(attempt(database, "left-recent")).containsEntry("state", "dialing")
                        .containsEntry("claimed_by", "gone");
            }
        }
    }

    private static ConfigurableApplicationContext instance(EmbeddedPostgres postgres, String name) {
        return secondInstance(postgres, "--parley.outbound.enabled=true",
                "--parley.outbound.kafka-brokers=" + KAFKA.getBrokersAsString(),
                "--parley.outbound.dial-topic=" + RESTART_TOPIC, "--parley.outbound.dead-letter-topic=" + DEAD,
                "--parley.outbound.outcomes-topic=" + OUTCOMES, "--parley.outbound.group-id=" + RESTART_GROUP,
                "--parley.outbound.caller-id=" + CALLER_ID, "--parley.outbound.check-every=200ms",
                "--parley.outbound.instance=" + name, "--parley.outbound.max-concurrent-per-account=1",
                "--parley.outbound.max-dials-per-second-per-account=1000",
                "--parley.twilio.account-sid=" + ACCOUNT_SID, "--parley.twilio.auth-token=" + AUTH_TOKEN,
                "--parley.twilio.api-url=" + TWILIO.url());
    }

    private static void leftMidDial(JdbcTemplate database, String key, String phone, Instant claimedAt) {
        database.update("INSERT INTO dial_request (idempotency_key, account, campaign, lead_id, phone, script,"
                + " time_zone, window_start, window_end, variables, received_at) VALUES (?, ?, 'spring', ?, ?,"
                + " 'acme-b2b', 'America/New_York', '08:00', '21:00', '{}'::jsonb, ?)", key, "left-" + key, key, phone,
                Timestamp.from(claimedAt));
        database.update("INSERT INTO dial_account (account) VALUES (?)", "left-" + key);
        database.update("INSERT INTO dial_attempt (idempotency_key, attempt_number, state, due_at, dialed_at,"
                + " claimed_by) VALUES (?, 1, 'dialing', ?, ?, 'gone')", key, Timestamp.from(claimedAt),
                Timestamp.from(claimedAt));
    }

    private static Map<String, Object> attempt(JdbcTemplate database, String key) {
        return database.queryForMap("SELECT * FROM dial_attempt WHERE idempotency_key = ? AND attempt_number = 1", key);
    }

    private static int calls(List<String> phones) {
        return callsTo(phones).size();
    }

    private static List<TwilioCallsStandIn.Created> callsTo(List<String> phones) {
        return TWILIO.created().stream().filter(call -> phones.contains(call.one("To"))).toList();
    }
}
