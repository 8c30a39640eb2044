package parley.outbound;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import parley.config.ParleyProperties;
import parley.conversation.ScriptLines;

/**
 * The attempts that are due, claimed by this instance one batch at a time, and the rules every dial obeys.
 * Several instances claim from the same table: {@code FOR UPDATE SKIP LOCKED} gives each attempt to one of
 * them. Before an attempt is dialed:
 * <ul>
 *   <li>a number on the do-not-call list is never dialed: the attempt ends there;</li>
 *   <li>outside the lead's calling hours the attempt waits for the next allowed time;</li>
 *   <li>an account at its limit of calls under way, or of dials this second, waits: its row in
 *       {@code dial_account} is locked while an instance counts, so the limits hold across instances.</li>
 * </ul>
 */
@Component
public class DialQueue {

    private static final Logger LOG = LoggerFactory.getLogger(DialQueue.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> VARIABLES = new TypeReference<>() {
    };

    /**
     * An attempt this instance claimed: it is this instance's to dial now. What the call is told of its lead is
     * read when the lead answers ({@link #lead}).
     */
    public record Claimed(long attemptId, int attemptNumber, String campaign, String leadId, String phone) {
    }

    private final JdbcTemplate database;
    private final AttemptOutcomes outcomes;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final ParleyProperties.Outbound settings;
    private final String instance;
    /** Due attempts this instance found it may not dial yet, by what held them. */
    private final Counter heldByLimits;
    private final Counter heldByHours;

    public DialQueue(JdbcTemplate database, TransactionTemplate transaction, Clock clock,
                     ParleyProperties properties, AttemptOutcomes outcomes, MeterRegistry meters) {
        this.heldByLimits = meters.counter("parley.outbound.dials.held", "reason", "account_limit");
        this.heldByHours = meters.counter("parley.outbound.dials.held", "reason", "calling_hours");
        this.database = database;
        this.outcomes = outcomes;
        this.transaction = transaction;
        this.clock = clock;
        this.settings = properties.outbound();
        this.instance = settings.instanceName();
    }

    /** Claims the attempts due now that the rules let through; the others are ended or put off. */
    public List<Claimed> claimDue() {
        List<Long> ended = new ArrayList<>();
        List<Claimed> claimed = transaction.execute(status -> {
            Instant now = clock.instant();
            Timestamp at = Timestamp.from(now);
            List<Map<String, Object>> due = database.queryForList(
                    "SELECT a.id, a.attempt_number, r.* FROM dial_attempt a JOIN dial_request r USING (idempotency_key)"
                            + " WHERE a.state = 'pending' AND a.due_at <= ? ORDER BY a.due_at, a.id LIMIT ?"
                            + " FOR UPDATE OF a SKIP LOCKED", at, settings.claimAtOnce());
            List<Claimed> batch = new ArrayList<>();
            Set<String> fullAccounts = new HashSet<>();
            for (Map<String, Object> row : due) {
                long id = ((Number) row.get("id")).longValue();
                String phone = (String) row.get("phone");
                String account = (String) row.get("account");
                if (onDoNotCallList(phone)) {
                    markEnded(id, "do_not_call", "the number is on the do-not-call list");
                    ended.add(id);
                    continue;
                }
                CallingHours hours = new CallingHours(ZoneId.of((String) row.get("time_zone")),
                        ((java.sql.Time) row.get("window_start")).toLocalTime(),
                        ((java.sql.Time) row.get("window_end")).toLocalTime());
                Instant allowed = hours.nextAllowed(now);
                if (allowed.isAfter(now)) {
                    heldByHours.increment();
                    database.update("UPDATE dial_attempt SET due_at = ? WHERE id = ?", Timestamp.from(allowed), id);
                    LOG.info("Dial attempt {} for lead {} waits for the lead's calling hours: {}", id,
                            row.get("lead_id"), allowed);
                    continue;
                }
                if (fullAccounts.contains(account) || !mayDial(account, now)) {
                    fullAccounts.add(account);
                    heldByLimits.increment();
                    continue;
                }
                database.update("UPDATE dial_attempt SET state = 'dialing', dialed_at = ?, claimed_by = ? WHERE id = ?",
                        at, instance, id);
                batch.add(new Claimed(id, ((Number) row.get("attempt_number")).intValue(),
                        (String) row.get("campaign"), (String) row.get("lead_id"), phone));
            }
            return batch;
        });
        ended.forEach(outcomes::publishIfReady);
        return claimed;
    }

    /** An attempt whose claimer stopped while dialing it: taken over by this instance. */
    public record Stalled(Claimed dial, Instant firstDialedAt) {
    }

    /**
     * Attempts claimed for dialing more than {@code claim-timeout} ago whose call's sid was never stored: their
     * instance stopped between the claim and Twilio's answer. This instance takes them over (each by one
     * instance; taking one over starts its timeout again, so an instance that stops while at it hands it on).
     */
    public List<Stalled> takeOverStalled() {
        Instant now = clock.instant();
        return database.query("WITH stalled AS (SELECT id FROM dial_attempt WHERE state = 'dialing'"
                        + " AND call_sid IS NULL AND coalesce(checked_at, dialed_at) < ? LIMIT ? FOR UPDATE SKIP LOCKED)"
                        + " UPDATE dial_attempt a SET claimed_by = ?, checked_at = ? FROM stalled s, dial_request r"
                        + " WHERE a.id = s.id AND r.idempotency_key = a.idempotency_key"
                        + " RETURNING a.id, a.attempt_number, r.campaign, r.lead_id, r.phone, a.dialed_at",
                (row, n) -> new Stalled(new Claimed(row.getLong("id"), row.getInt("attempt_number"),
                        row.getString("campaign"), row.getString("lead_id"), row.getString("phone")),
                        row.getTimestamp("dialed_at").toInstant()),
                Timestamp.from(now.minus(settings.claimTimeout())), settings.claimAtOnce(), instance,
                Timestamp.from(now));
    }

    /**
     * The sids of calls placed more than {@code status-wait} ago whose end was never heard: Twilio's final
     * status callback did not reach any instance. This instance takes them over to ask Twilio (each by one
     * instance; a call still under way is asked about again a {@code status-wait} later).
     */
    public List<String> takeOverUnheard() {
        Instant now = clock.instant();
        return database.queryForList("WITH unheard AS (SELECT id FROM dial_attempt WHERE state = 'dialing'"
                        + " AND call_sid IS NOT NULL AND coalesce(checked_at, dialed_at) < ? LIMIT ?"
                        + " FOR UPDATE SKIP LOCKED)"
                        + " UPDATE dial_attempt a SET claimed_by = ?, checked_at = ? FROM unheard u WHERE a.id = u.id"
                        + " RETURNING a.call_sid", String.class,
                Timestamp.from(now.minus(settings.statusWait())), settings.claimAtOnce(), instance,
                Timestamp.from(now));
    }

    /** Locks the account's row and counts its calls under way and its dials in the last second. */
    private boolean mayDial(String account, Instant now) {
        database.queryForList("SELECT account FROM dial_account WHERE account = ? FOR UPDATE", account);
        Integer underWay = database.queryForObject("SELECT count(*) FROM dial_attempt a JOIN dial_request r"
                + " USING (idempotency_key) WHERE r.account = ? AND a.state = 'dialing'", Integer.class, account);
        Integer lastSecond = database.queryForObject("SELECT count(*) FROM dial_attempt a JOIN dial_request r"
                        + " USING (idempotency_key) WHERE r.account = ? AND a.dialed_at > ?", Integer.class, account,
                Timestamp.from(now.minus(Duration.ofSeconds(1))));
        return underWay < settings.maxConcurrentPerAccount() && lastSecond < settings.maxDialsPerSecondPerAccount();
    }

    private boolean onDoNotCallList(String phone) {
        return database.queryForObject("SELECT count(*) FROM do_not_call WHERE phone = ?", Integer.class, phone) > 0;
    }

    /** Who an attempt calls, as its call is told: the lead, the campaign, the script's variables. */
    public record Lead(long attemptId, String leadId, String campaign, String account, String timeZone,
                       Map<String, String> variables) {
        public Map<String, String> streamParameters() {
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("attempt", Long.toString(attemptId));
            parameters.put("lead", leadId);
            parameters.put("campaign", campaign);
            parameters.put("account", account);
            // The lead's own clock: the times they say ("call me tomorrow at 3") are read on it.
            parameters.put("TimeZone", timeZone);
            variables.forEach((name, value) -> parameters.put(ScriptLines.VARIABLE_PREFIX + name, value));
            return parameters;
        }
    }

    public Optional<Lead> lead(long attemptId) {
        return database.queryForList("SELECT r.lead_id, r.campaign, r.account, r.time_zone,"
                + " r.variables::text AS variables"
                + " FROM dial_attempt a JOIN dial_request r USING (idempotency_key) WHERE a.id = ?", attemptId)
                .stream().findFirst().map(row -> new Lead(attemptId, (String) row.get("lead_id"),
                        (String) row.get("campaign"), (String) row.get("account"), (String) row.get("time_zone"),
                        variables(row)));
    }

    /** The attempt is over, with its outcome: nothing more is dialed for it, and its outcome is published. */
    public void end(long attemptId, String outcome, String detail) {
        markEnded(attemptId, outcome, detail);
        outcomes.publishIfReady(attemptId);
    }

    private void markEnded(long attemptId, String outcome, String detail) {
        database.update("UPDATE dial_attempt SET state = 'ended', outcome = ?, detail = ?, ended_at = ? WHERE id = ?",
                outcome, detail, Timestamp.from(clock.instant()), attemptId);
    }

    /**
     * Twilio took the call: it is placed, and known by its sid from here on. A final status that came before
     * (the call failed at once) is applied now.
     */
    public void placed(long attemptId, String callSid) {
        List<String> early = transaction.execute(status -> {
            lockCall(callSid);
            database.update("UPDATE dial_attempt SET call_sid = ? WHERE id = ?", callSid, attemptId);
            return database.queryForList("DELETE FROM early_call_status WHERE call_sid = ? RETURNING status",
                    String.class, callSid);
        });
        early.forEach(status -> callEnded(callSid, status));
    }

    /**
     * Serialises, across instances, storing a call's sid and taking its final status: whichever comes first,
     * the status is applied once the sid is known.
     */
    private void lockCall(String callSid) {
        database.queryForList("SELECT pg_advisory_xact_lock(hashtext(?))", callSid);
    }

    /** The attempt could not be placed now (Twilio asked to slow down): it is tried again after {@code delay}. */
    public void putOff(long attemptId, Duration delay, String why) {
        database.update("UPDATE dial_attempt SET state = 'pending', due_at = ?, claimed_by = NULL, detail = ?"
                + " WHERE id = ?", Timestamp.from(clock.instant().plus(delay)), why, attemptId);
    }

    /** What a lead may be called again after, until {@code max-attempts}. */
    private static final Set<String> RETRIED = Set.of("busy", "no_answer", "failed", "voicemail");

    /**
     * A placed call ended with Twilio's final status: its attempt ends with it (an answered call "answered", or
     * "voicemail" when a machine or fax answered it). A lead who was busy, did not answer, whose call failed or
     * who was left a voicemail gets the next attempt, {@code retry-after}
     * later, unless that was the last one; the next attempt is a row like the first, so it outlives a restart.
     */
    public void callEnded(String callSid, String twilioStatus) {
        String status = twilioStatus.replace('-', '_');
        List<Long> endedIds = new ArrayList<>();
        transaction.executeWithoutResult(transactionStatus -> {
            lockCall(callSid);
            List<Map<String, Object>> ended = database.queryForList("UPDATE dial_attempt SET state = 'ended',"
                    + " outcome = CASE WHEN ? <> 'completed' THEN ? WHEN answered_by LIKE 'machine%'"
                    + " OR answered_by = 'fax' THEN 'voicemail' ELSE 'answered' END, ended_at = ?"
                    + " WHERE call_sid = ? AND state = 'dialing'"
                    + " RETURNING id, idempotency_key, attempt_number, outcome,"
                    + " (SELECT campaign FROM dial_request r WHERE r.idempotency_key = dial_attempt.idempotency_key)",
                    status, status, Timestamp.from(clock.instant()), callSid);
            if (ended.isEmpty() && database.queryForObject("SELECT count(*) FROM dial_attempt WHERE call_sid = ?",
                    Integer.class, callSid) == 0) {
                // Perhaps a call of Parley's whose sid is not stored yet: kept until it is (see placed).
                database.update("INSERT INTO early_call_status (call_sid, status) VALUES (?, ?)"
                        + " ON CONFLICT (call_sid) DO NOTHING", callSid, twilioStatus);
            }
            for (Map<String, Object> attempt : ended) {
                String outcome = (String) attempt.get("outcome");
                endedIds.add(((Number) attempt.get("id")).longValue());
                int number = ((Number) attempt.get("attempt_number")).intValue();
                ParleyProperties.Outbound.Campaign campaign = settings.campaign((String) attempt.get("campaign"));
                if (RETRIED.contains(outcome) && number < campaign.maxAttempts()) {
                    database.update("INSERT INTO dial_attempt (idempotency_key, attempt_number, state, due_at)"
                            + " VALUES (?, ?, 'pending', ?) ON CONFLICT (idempotency_key, attempt_number) DO NOTHING",
                            attempt.get("idempotency_key"), number + 1,
                            Timestamp.from(clock.instant().plus(campaign.retryAfter())));
                }
            }
        });
        endedIds.forEach(outcomes::publishIfReady);
    }

    /**
     * The call Parley placed ended with the lead asking to be called back at {@code callbackTime} on their own
     * clock: the next attempt is due then, or now if that time has passed. A row like any attempt, so it
     * outlives a restart; written once however often the record is.
     */
    public void scheduleCallBack(String callSid, LocalDateTime callbackTime) {
        List<Map<String, Object>> placed = database.queryForList("SELECT a.idempotency_key, a.attempt_number,"
                + " r.time_zone FROM dial_attempt a JOIN dial_request r USING (idempotency_key) WHERE a.call_sid = ?",
                callSid);
        for (Map<String, Object> row : placed) {
            Instant at = callbackTime.atZone(ZoneId.of((String) row.get("time_zone"))).toInstant();
            Instant now = clock.instant();
            database.update("INSERT INTO dial_attempt (idempotency_key, attempt_number, state, due_at, detail)"
                    + " VALUES (?, ?, 'pending', ?, 'the lead asked to be called back then')"
                    + " ON CONFLICT (idempotency_key, attempt_number) DO NOTHING", row.get("idempotency_key"),
                    ((Number) row.get("attempt_number")).intValue() + 1, Timestamp.from(at.isAfter(now) ? at : now));
        }
    }

    /** What answering-machine detection heard on a call Parley placed. */
    public void answeredBy(String callSid, String answeredBy) {
        database.update("UPDATE dial_attempt SET answered_by = ? WHERE call_sid = ?", answeredBy, callSid);
    }

    /** Adds a number to the do-not-call list; it is never dialed again. */
    public void doNotCall(String phone, String reason) {
        database.update("INSERT INTO do_not_call (phone, reason, added_at) VALUES (?, ?, ?)"
                + " ON CONFLICT (phone) DO NOTHING", phone, reason, Timestamp.from(clock.instant()));
    }

    private static Map<String, String> variables(Map<String, Object> row) {
        try {
            return JSON.readValue(row.get("variables").toString(), VARIABLES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("dial request variables are not the JSON the intake wrote", e);
        }
    }
}
