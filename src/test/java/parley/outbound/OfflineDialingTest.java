package parley.outbound;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import parley.conversation.SalesScript;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With no Twilio account, dial requests from Kafka go to the simulated phone network, whose prospects (the
 * numbers application.yaml gives them) call Parley back as Twilio would: a real conversation on the media
 * stream for those who answer, a voicemail left after a machine's beep, busy and unanswered lines retried.
 */
class OfflineDialingTest extends OutboundParley {

    private static final Duration WHOLE_CALLS = Duration.ofMinutes(3);
    private static final String OFFLINE_TOPIC = "offline.dial-requests";

    @DynamicPropertySource
    static void quickerPhones(DynamicPropertyRegistry registry) {
        registry.add("parley.outbound.dial-topic", () -> OFFLINE_TOPIC);
        registry.add("parley.outbound.group-id", () -> "offline-dialer");
        registry.add("parley.outbound.simulator.rings-for", () -> "1s");
        registry.add("parley.outbound.simulator.no-answer-after", () -> "3s");
        registry.add("parley.outbound.simulator.max-calls", () -> 6);
    }

    @Autowired
    JdbcTemplate database;

    @Autowired
    SalesScript script;

    @Test
    void eachProspectOfTheSimulatedNetworkEndsAsTheyWould() throws Exception {
        // The prospect who books a meeting talks for 40 s; OutboundDemoTest calls them.
        Map<String, String> phones = Map.of("offline-later", "+15550100102",
                "offline-opt-out", "+15550100103", "offline-busy", "+15550100104", "offline-no-answer", "+15550100105",
                "offline-machine", "+15550100106");
        // Each lead its own account, so that all are dialed at once.
        publishTo(OFFLINE_TOPIC, phones.entrySet().stream().map(lead -> request(lead.getKey(), lead.getKey(),
                lead.getValue(), "America/New_York", null)).toArray(String[]::new));

        Awaitility.await().atMost(WHOLE_CALLS).until(() -> database.queryForObject("SELECT count(*) FROM dial_attempt"
                + " WHERE idempotency_key LIKE 'offline-%' AND outcome_published", Integer.class) == phones.size());
        Map<String, JsonNode> outcomes = read(OUTCOMES, phones.size(),
                message -> message.path("idempotency_key").asText().startsWith("offline-")).stream()
                .collect(Collectors.toMap(message -> message.path("idempotency_key").asText(), Function.identity()));
        assertThat(outcomes).hasSize(phones.size());

        JsonNode later = outcomes.get("offline-later");
        assertThat(later.path("status").asText()).isEqualTo("answered");
        assertThat(later.path("answered_by").asText()).isEqualTo("human");
        assertThat(later.path("outcome").asText()).isEqualTo("call_back_later");
        // Tomorrow at 3 pm on the lead's clock.
        assertThat(later.path("next_attempt_at").asText()).isEqualTo("2026-11-26T20:00:00Z");
        assertThat(outcomes.get("offline-opt-out").path("outcome").asText()).isEqualTo("do_not_call");
        assertThat(database.queryForObject("SELECT count(*) FROM do_not_call WHERE phone = '+15550100103'",
                Integer.class)).as("on the do-not-call list").isEqualTo(1);
        assertThat(outcomes.get("offline-busy").path("status").asText()).isEqualTo("busy");
        assertThat(outcomes.get("offline-busy").path("next_attempt_at").asText())
                .isEqualTo(NOW.plus(Duration.ofHours(2)).toString());
        assertThat(outcomes.get("offline-no-answer").path("status").asText()).isEqualTo("no_answer");

        JsonNode machine = outcomes.get("offline-machine");
        assertThat(machine.path("status").asText()).isEqualTo("voicemail");
        assertThat(machine.path("answered_by").asText()).isEqualTo("machine_end_beep");
        List<String> agentLines = database.queryForList("SELECT said FROM call_line WHERE call_sid = ?"
                + " AND speaker = 'agent' ORDER BY start_ms", String.class, machine.path("call_sid").asText());
        assertThat(agentLines).last().isEqualTo(script.voicemail());
    }
}
