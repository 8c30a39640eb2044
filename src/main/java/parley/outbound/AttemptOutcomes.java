package parley.outbound;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.ProducerTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What became of each dial attempt, published to the outcomes topic once the attempt has ended (see
 * {@code parley.outbound.outcomes-topic} in application.yaml for the shape). An attempt that ended without a
 * conversation (busy, no answer, a refused or forbidden number) is published when it ends; an answered call
 * once its record is written, with what the conversation reached. The message is built from PostgreSQL, which
 * keeps the same, and handed to {@code seda:dial-outcomes}: whoever ends an attempt never waits for Kafka.
 */
@Component
public class AttemptOutcomes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcTemplate database;
    private final ProducerTemplate routes;

    public AttemptOutcomes(JdbcTemplate database, ProducerTemplate routes) {
        this.database = database;
        this.routes = routes;
    }

    /**
     * Publishes the outcome of attempt {@code attemptId} if it is ready and not yet published: it has ended, and
     * an answered call's record is written. The flag is set in one statement, so of two threads that find it
     * ready at once (the call's final status and its record), one publishes it.
     */
    public void publishIfReady(long attemptId) {
        List<Long> ready = database.queryForList("UPDATE dial_attempt a SET outcome_published = true"
                + " WHERE a.id = ? AND NOT a.outcome_published AND a.state = 'ended' AND (a.outcome <> 'answered'"
                + " OR EXISTS (SELECT 1 FROM call_record c WHERE c.call_sid = a.call_sid)) RETURNING a.id",
                Long.class, attemptId);
        if (!ready.isEmpty()) {
            publish(attemptId);
        }
    }

    /**
     * Publishes, without a conversation, each answered attempt that ended before {@code endedBefore} and whose
     * record never came: the lead answered and the call never reached Parley's media stream, or its record was
     * not written. Claimed in one statement, so each is published once across instances.
     */
    public void publishOverdue(Instant endedBefore) {
        database.queryForList("UPDATE dial_attempt SET outcome_published = true, detail = coalesce(detail,"
                + " 'answered, and no record of a conversation was written') WHERE state = 'ended'"
                + " AND NOT outcome_published AND outcome = 'answered' AND ended_at < ? RETURNING id", Long.class,
                Timestamp.from(endedBefore)).forEach(this::publish);
    }

    private void publish(long attemptId) {
        List<Map<String, Object>> rows = database.queryForList("SELECT a.id, a.idempotency_key, a.attempt_number,"
                + " a.call_sid, a.answered_by, a.outcome, a.detail, r.account, r.campaign, r.lead_id, r.phone,"
                + " (SELECT min(n.due_at) FROM dial_attempt n WHERE n.idempotency_key = a.idempotency_key"
                + "   AND n.attempt_number > a.attempt_number AND n.state = 'pending') AS next_attempt_at,"
                + " c.outcome AS conversation, c.slots::text AS slots, c.meeting::text AS meeting, c.summary,"
                + " coalesce(c.ended_at, a.ended_at) AS ended_at"
                + " FROM dial_attempt a JOIN dial_request r USING (idempotency_key)"
                + " LEFT JOIN call_record c ON c.call_sid = a.call_sid WHERE a.id = ?", attemptId);
        if (rows.isEmpty()) {
            return;
        }
        Map<String, Object> row = rows.get(0);
        ObjectNode outcome = JSON.createObjectNode()
                .put("idempotency_key", (String) row.get("idempotency_key"))
                .put("account", (String) row.get("account"))
                .put("campaign", (String) row.get("campaign"))
                .put("lead_id", (String) row.get("lead_id"))
                .put("phone", (String) row.get("phone"))
                .put("attempt", ((Number) row.get("attempt_number")).intValue())
                .put("call_sid", (String) row.get("call_sid"))
                .put("answered_by", (String) row.get("answered_by"))
                .put("status", (String) row.get("outcome"))
                .put("detail", (String) row.get("detail"))
                .put("outcome", (String) row.get("conversation"))
                .put("summary", (String) row.get("summary"))
                .put("ended_at", instant(row.get("ended_at")))
                .put("next_attempt_at", instant(row.get("next_attempt_at")));
        try {
            outcome.set("slots", row.get("slots") == null ? JSON.createObjectNode()
                    : JSON.readTree((String) row.get("slots")));
            outcome.set("meeting", row.get("meeting") == null ? null : JSON.readTree((String) row.get("meeting")));
            routes.sendBody("seda:dial-outcomes", JSON.writeValueAsString(outcome));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the call record's JSON columns hold JSON", e);
        }
    }

    /** Publishes the outcome of the attempt that placed {@code callSid}, if Parley placed it and it is ready. */
    public void publishCall(String callSid) {
        database.queryForList("SELECT id FROM dial_attempt WHERE call_sid = ?", Long.class, callSid)
                .forEach(this::publishIfReady);
    }

    private static String instant(Object timestamp) {
        return timestamp == null ? null : ((Timestamp) timestamp).toInstant().toString();
    }
}
