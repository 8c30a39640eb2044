package parley.outbound;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import parley.call.CallRegistry;
import parley.conversation.SalesScript;
import parley.simulator.SimulatedCall;
import parley.simulator.SimulationEvent;
import parley.simulator.TwilioWebhooks;
import parley.support.WatchedCall;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dial requests from Kafka become calls placed through the Twilio Calls API stand-in, and only the calls the
 * rules allow: never a number on the do-not-call list, never outside the lead's hours, never twice for one
 * key, never more at once than the account's limit. Twilio's refusals end or put off the attempt.
 */
class DialingTest extends TwilioOutboundParley {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    JdbcTemplate database;

    @Autowired
    DialQueue queue;

    @Autowired
    CallRegistry calls;

    @Autowired
    AttemptOutcomes outcomes;

    @Autowired
    SalesScript script;

    @Test
    void aRequestIsDialedOnceWithParleysUrlsAndMachineDetectionAndItsStatusEndsTheAttempt() throws Exception {
        String phone = "+15550100201";
        publish(request("dial-1", "dialing", phone, "America/New_York", null));
        TwilioCallsStandIn.Created call = awaitCallTo(phone);

        String attempt = attemptOf("dial-1").get("id").toString();
        assertThat(call.one("From")).isEqualTo(CALLER_ID);
        assertThat(call.one("Url")).isEqualTo(httpUrl("/twilio/voice?attempt=" + attempt).toString());
        assertThat(call.one("StatusCallback")).isEqualTo(httpUrl("/twilio/status").toString());
        assertThat(call.one("StatusCallbackMethod")).isEqualTo("POST");
        assertThat(call.form().get("StatusCallbackEvent")).containsExactly("initiated", "ringing", "answered",
                "completed");
        assertThat(call.one("MachineDetection")).isEqualTo("DetectMessageEnd");
        assertThat(call.one("AsyncAmd")).isEqualTo("true");
        assertThat(call.one("AsyncAmdStatusCallback")).isEqualTo(httpUrl("/twilio/amd").toString());
        assertThat(attemptOf("dial-1")).containsEntry("state", "dialing").containsEntry("call_sid", call.callSid());

        // The same request again (a re-read, or a sender's retry): kept once, never dialed again.
        publish(request("dial-1", "dialing", phone, "America/New_York", null));
        assertThat(TWILIO.finish(call, "busy")).isEqualTo(204);
        Awaitility.await().atMost(WAIT).until(() -> "ended".equals(attemptOf("dial-1").get("state")));
        assertThat(attemptOf("dial-1")).containsEntry("outcome", "busy");
        assertThat(database.queryForMap("SELECT state, due_at FROM dial_attempt WHERE idempotency_key = 'dial-1'"
                + " AND attempt_number = 2")).as("busy: called again retry-after later")
                .containsEntry("state", "pending").containsEntry("due_at", Timestamp.from(NOW.plus(Duration.ofHours(2))));
        Awaitility.await().atMost(WAIT).until(() -> committedPastEverything());
        assertThat(callsTo(phone)).hasSize(1);
    }

    @Test
    void whenTheLeadAnswersTheCallIsToldItsLeadCampaignAndTheScriptsVariables() throws Exception {
        String phone = "+15550100221";
        publish(request("answer-1", "answering", phone, "America/New_York", null));
        TwilioCallsStandIn.Created call = awaitCallTo(phone);

        assertThat(streamParameters(call)).containsEntry("Direction", "outbound-api")
                .containsEntry("lead", "lead-answer-1").containsEntry("campaign", "spring")
                .containsEntry("TimeZone", "America/New_York").containsEntry("var-first_name", "Jane");
        TWILIO.finish(call, "completed");
    }

    @Test
    void aLeadWhoAsksToBeCalledBackAtATimeIsCalledThenAndTheOutcomeSaysSo() throws Exception {
        publish(request("later-1", "callbacks", "+15550100251", "America/New_York", null));
        TwilioCallsStandIn.Created placed = awaitCallTo("+15550100251");
        SimulatedCall.Builder lead = SimulatedCall.to(mediaUrl().toString()).callSid(placed.callSid())
                .authToken(AUTH_TOKEN)
                .say("Sorry, I'm driving, can you ring me later?")
                .say("Tomorrow at 3 pm.")
                .idleHangup(Duration.ofSeconds(5)).maxDuration(Duration.ofSeconds(60));
        streamParameters(placed).forEach(lead::parameter);
        WatchedCall call = WatchedCall.place(calls, lead.build());
        assertThat(call.session().outcome()).isEqualTo(SalesScript.Outcome.CALL_BACK_LATER);
        TWILIO.finish(placed, "completed");

        // Tomorrow at 3 pm on the lead's clock: Thursday 26 November, 15:00 in New York.
        Instant then = Instant.parse("2026-11-26T20:00:00Z");
        Awaitility.await().atMost(WAIT).until(() -> database.queryForList("SELECT due_at FROM dial_attempt"
                + " WHERE idempotency_key = 'later-1' AND attempt_number = 2", Timestamp.class).stream()
                .anyMatch(due -> due.toInstant().equals(then)));
        List<JsonNode> outcome = read(OUTCOMES, 1, message -> message.path("idempotency_key").asText().equals("later-1"));
        assertThat(outcome).singleElement().satisfies(message -> {
            assertThat(message.path("status").asText()).isEqualTo("answered");
            assertThat(message.path("outcome").asText()).isEqualTo("call_back_later");
            assertThat(message.path("slots").path("callback_time").asText()).isEqualTo("2026-11-26T15:00:00");
            assertThat(message.path("next_attempt_at").asText()).isEqualTo(then.toString());
            assertThat(message.path("summary").asText()).contains("call back later");
        });
    }

    /** What Parley answers Twilio's request for the voice URL once the lead picks up: the stream's parameters. */
    private static Map<String, String> streamParameters(TwilioCallsStandIn.Created call) throws Exception {
        Map<String, String> form = Map.of("CallSid", call.callSid(), "AccountSid", ACCOUNT_SID, "From", CALLER_ID,
                "To", call.one("To"), "Direction", "outbound-api", "CallStatus", "in-progress");
        HttpResponse<String> twiml = TwilioWebhooks.post(HttpClient.newHttpClient(), URI.create(call.one("Url")),
                form, AUTH_TOKEN);
        assertThat(twiml.statusCode()).isEqualTo(200);
        return new TwilioWebhooks.Twiml(twiml.body()).parameters();
    }

    @Test
    void theDoNotCallListAndTheLeadsCallingHoursAreObeyed() throws Exception {
        queue.doNotCall("+15550100202", "asked not to be called again");
        publish(request("dnc-1", "rules", "+15550100202", "America/New_York", null),
                // 15:00 UTC is midnight in Tokyo: the call waits for 8:00 there.
                request("tokyo-1", "rules", "+81312345678", "Asia/Tokyo", null),
                // 10:00 in New York, before this lead's window opens at 11:30.
                request("window-1", "rules", "+15550100203", "America/New_York",
                        "{\"from\": \"11:30\", \"until\": \"17:00\"}"));

        Awaitility.await().atMost(WAIT).until(() -> "ended".equals(attemptOf("dnc-1").get("state")));
        assertThat(attemptOf("dnc-1")).containsEntry("outcome", "do_not_call");
        Awaitility.await().atMost(WAIT).until(() -> dueAt("tokyo-1").equals(Instant.parse("2026-11-25T23:00:00Z"))
                && dueAt("window-1").equals(Instant.parse("2026-11-25T16:30:00Z")));
        assertThat(attemptOf("tokyo-1")).containsEntry("state", "pending");
        Awaitility.await().atMost(WAIT).until(() -> committedPastEverything());
        assertThat(callsTo("+15550100202")).isEmpty();
        assertThat(callsTo("+81312345678")).isEmpty();
        assertThat(callsTo("+15550100203")).isEmpty();
    }

    @Test
    void aCampaignsOwnSettingsWinOverTheDefaults() throws Exception {
        publish(request("once", "once-1", "campaigns", "+15550100261", "America/New_York", null),
                request("evening", "evening-1", "campaigns", "+15550100262", "America/New_York", null));
        TWILIO.finish(awaitCallTo("+15550100261"), "busy");
        Awaitility.await().atMost(WAIT).until(() -> "ended".equals(attemptOf("once-1").get("state")));
        assertThat(database.queryForObject("SELECT count(*) FROM dial_attempt WHERE idempotency_key = 'once-1'",
                Integer.class)).as("max-attempts 1: no retry").isEqualTo(1);
        // 18:00 in New York, when the evening campaign's hours begin.
        Awaitility.await().atMost(WAIT).until(() -> dueAt("evening-1").equals(Instant.parse("2026-11-25T23:00:00Z")));
        assertThat(callsTo("+15550100262")).isEmpty();
    }

    @Test
    void anInvalidNumberIsAnOutcomeAndTwiliosSlowDownPutsTheAttemptOff() throws Exception {
        TWILIO.invalid("+15550100204");
        publish(request("invalid-1", "refusals", "+15550100204", "America/New_York", null));
        Awaitility.await().atMost(WAIT).until(() -> "ended".equals(attemptOf("invalid-1").get("state")));
        assertThat(attemptOf("invalid-1")).containsEntry("outcome", "invalid_number");
        assertThat((String) attemptOf("invalid-1").get("detail")).startsWith("21211: ");

        TWILIO.tooMany(1);
        publish(request("slow-1", "refusals", "+15550100205", "America/New_York", null));
        Awaitility.await().atMost(WAIT).until(() -> "Twilio asked to slow down (429)".equals(attemptOf("slow-1").get("detail")));
        assertThat(attemptOf("slow-1")).containsEntry("state", "pending");
        assertThat(dueAt("slow-1")).isEqualTo(NOW.plus(TwilioDialer.SLOWED_DOWN));
        assertThat(callsTo("+15550100205")).isEmpty();
    }

    @Test
    void anAccountNeverHasMoreCallsUnderWayThanItsLimit() throws Exception {
        publish(request("limit-1", "limited", "+15550100211", "America/New_York", null),
                request("limit-2", "limited", "+15550100212", "America/New_York", null),
                request("limit-3", "limited", "+15550100213", "America/New_York", null));
        Awaitility.await().atMost(WAIT).until(() -> callsOf("limited").size() == MAX_CONCURRENT);
        Awaitility.await().atMost(WAIT).until(() -> committedPastEverything());
        assertThat(callsOf("limited")).as("the third waits for a place").hasSize(MAX_CONCURRENT);

        TWILIO.finish(callsOf("limited").get(0), "completed");
        Awaitility.await().atMost(WAIT).until(() -> callsOf("limited").size() == 3);
        assertThat(database.queryForObject("SELECT count(*) FROM dial_attempt a JOIN dial_request r"
                + " USING (idempotency_key) WHERE r.account = 'limited' AND a.outcome = 'answered'", Integer.class))
                .isEqualTo(1);
    }

    @Test
    void everyEndedAttemptIsPublishedOnceWithWhatItReached() throws Exception {
        queue.doNotCall("+15550100231", "the company's list");
        TWILIO.invalid("+15550100232");
        publish(request("out-dnc", "outcomes", "+15550100231", "America/New_York", null),
                request("out-invalid", "outcomes", "+15550100232", "America/New_York", null),
                request("out-busy", "outcomes", "+15550100233", "America/New_York", null));
        TWILIO.finish(awaitCallTo("+15550100233"), "no-answer");

        List<JsonNode> outcomes = read(OUTCOMES, 3, message -> message.path("idempotency_key").asText().startsWith("out-"));
        assertThat(outcomes).extracting(message -> message.path("idempotency_key").asText() + " "
                + message.path("status").asText()).containsExactlyInAnyOrder("out-dnc do_not_call",
                "out-invalid invalid_number", "out-busy no_answer");
        JsonNode unanswered = outcomes.stream().filter(m -> m.path("idempotency_key").asText().equals("out-busy"))
                .findFirst().orElseThrow();
        assertThat(unanswered.path("account").asText()).isEqualTo("outcomes");
        assertThat(unanswered.path("lead_id").asText()).isEqualTo("lead-out-busy");
        assertThat(unanswered.path("attempt").asInt()).isEqualTo(1);
        assertThat(unanswered.path("call_sid").asText()).startsWith("CA");
        assertThat(unanswered.path("outcome").isNull()).as("no conversation").isTrue();
        assertThat(unanswered.path("next_attempt_at").asText()).isEqualTo(NOW.plus(Duration.ofHours(2)).toString());
        assertThat(unanswered.path("ended_at").asText()).isEqualTo(NOW.toString());
    }

    @Test
    void anAnsweredCallThatNeverReachedTheStreamIsPublishedOnceItsRecordIsOverdue() throws Exception {
        publish(request("silent-1", "silent", "+15550100271", "America/New_York", null));
        TWILIO.finish(awaitCallTo("+15550100271"), "completed");
        Awaitility.await().atMost(WAIT).until(() -> "ended".equals(attemptOf("silent-1").get("state")));
        assertThat(attemptOf("silent-1")).as("waits for a record").containsEntry("outcome_published", false);

        outcomes.publishOverdue(NOW.plus(Duration.ofMinutes(2)));
        outcomes.publishOverdue(NOW.plus(Duration.ofMinutes(3)));
        List<JsonNode> published = read(OUTCOMES, 1, message -> message.path("idempotency_key").asText()
                .equals("silent-1"));
        assertThat(published).singleElement().satisfies(message -> {
            assertThat(message.path("status").asText()).isEqualTo("answered");
            assertThat(message.path("outcome").isNull()).isTrue();
            assertThat(message.path("detail").asText()).isEqualTo("answered, and no record of a conversation was written");
        });
    }

    @Test
    void aCallWhoseEndWasNeverHeardEndsItsAttemptAsTwilioSaysOnceItsStatusIsOverdue() throws Exception {
        publish(request("unheard-1", "unheard", "+15550100281", "America/New_York", null));
        TwilioCallsStandIn.Created call = awaitCallTo("+15550100281");
        Awaitility.await().atMost(WAIT).until(() -> call.callSid().equals(attemptOf("unheard-1").get("call_sid")));
        TWILIO.endedUnheard(call, "no-answer");
        assertThat(attemptOf("unheard-1")).as("not asked before status-wait").containsEntry("state", "dialing");

        // Three hours on: the call was placed longer ago than status-wait.
        database.update("UPDATE dial_attempt SET dialed_at = ? WHERE idempotency_key = 'unheard-1'",
                Timestamp.from(NOW.minus(Duration.ofHours(3)).minusSeconds(1)));
        Awaitility.await().atMost(WAIT).until(() -> "ended".equals(attemptOf("unheard-1").get("state")));
        assertThat(attemptOf("unheard-1")).containsEntry("outcome", "no_answer");
        assertThat(database.queryForObject("SELECT count(*) FROM dial_attempt WHERE idempotency_key = 'unheard-1'"
                + " AND attempt_number = 2", Integer.class)).as("tried again").isEqualTo(1);
    }

    @Test
    void theCampaignsViewCountsWhereEachCampaignsAttemptsStand() throws Exception {
        queue.doNotCall("+15550100291", "the company's list");
        TWILIO.invalid("+15550100292");
        publish(request("report", "report-dnc", "report", "+15550100291", "America/New_York", null),
                request("report", "report-invalid", "report", "+15550100292", "America/New_York", null),
                request("report", "report-busy", "report", "+15550100293", "America/New_York", null));
        TWILIO.finish(awaitCallTo("+15550100293"), "busy");
        Awaitility.await().atMost(WAIT).until(() -> database.queryForObject("SELECT count(*) FROM dial_attempt"
                + " WHERE idempotency_key LIKE 'report-%' AND state = 'ended'", Integer.class) == 3);

        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(httpUrl("/api/campaigns"))
                .header("Authorization", "Bearer " + API_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode report = null;
        for (JsonNode campaign : new ObjectMapper().readTree(answer.body())) {
            if (campaign.path("campaign").asText().equals("report")) {
                report = campaign;
            }
        }
        assertThat(report).isNotNull();
        assertThat(report.path("requests").asInt()).isEqualTo(3);
        assertThat(report.path("queued").asInt()).as("the busy lead's next attempt").isEqualTo(1);
        assertThat(report.path("dialing").asInt()).isZero();
        assertThat(report.path("not_reached").asInt()).isEqualTo(1);
        assertThat(report.path("not_dialed").asInt()).as("do-not-call and the invalid number").isEqualTo(2);
        assertThat(Instant.parse(report.path("next_attempt_at").asText())).isEqualTo(NOW.plus(Duration.ofHours(2)));
        assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(httpUrl("/api/campaigns")).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).as("without access").isEqualTo(401);
    }

    @Test
    void aMachineThatAnsweredMakesTheAttemptAVoicemailThatIsRetried() throws Exception {
        publish(request("machine-1", "machines", "+15550100241", "America/New_York", null));
        TwilioCallsStandIn.Created call = awaitCallTo("+15550100241");
        assertThat(TWILIO.detect(call, "machine_end_beep")).isEqualTo(204);
        TWILIO.finish(call, "completed");

        Awaitility.await().atMost(WAIT).until(() -> "ended".equals(attemptOf("machine-1").get("state")));
        assertThat(attemptOf("machine-1")).containsEntry("outcome", "voicemail")
                .containsEntry("answered_by", "machine_end_beep");
        assertThat(database.queryForObject("SELECT count(*) FROM dial_attempt WHERE idempotency_key = 'machine-1'"
                + " AND attempt_number = 2 AND state = 'pending'", Integer.class)).as("tried again").isEqualTo(1);
    }

    @Test
    void onAnAnsweredCallAMachinesBeepCutsTheGreetingForTheVoicemailLineAndTheCallEnds() throws Exception {
        publish(request("machine-2", "machines", "+15550100242", "America/New_York", null));
        TwilioCallsStandIn.Created placed = awaitCallTo("+15550100242");
        // The machine picks up: Twilio connects the call's media to Parley as for any answered call.
        CompletableFuture<WatchedCall> answered = CompletableFuture.supplyAsync(() -> {
            try {
                return WatchedCall.place(calls, SimulatedCall.to(mediaUrl().toString()).callSid(placed.callSid())
                        .authToken(AUTH_TOKEN).parameter("Direction", "outbound-api")
                        .maxDuration(Duration.ofSeconds(40)).build());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Awaitility.await().atMost(WAIT).until(() -> calls.byCallSid(placed.callSid()) != null
                && calls.byCallSid(placed.callSid()).playback() != null
                && calls.byCallSid(placed.callSid()).playback().heardMs() > 500);
        assertThat(TWILIO.detect(placed, "machine_end_beep")).isEqualTo(204);

        WatchedCall call = answered.get(60, TimeUnit.SECONDS);
        assertThat(call.result().clears()).as("the greeting stops at the beep").isEqualTo(1);
        List<WatchedCall.Spoken> spoken = call.spoken();
        assertThat(spoken.get(0).interrupted()).isTrue();
        assertThat(spoken.get(spoken.size() - 1).text()).isEqualTo(script.voicemail());
        assertThat(call.result().events(SimulationEvent.Closed.class)).singleElement()
                .satisfies(closed -> assertThat(closed.by()).isEqualTo(SimulationEvent.ClosedBy.AGENT));
        TWILIO.finish(placed, "completed");
    }

    private TwilioCallsStandIn.Created awaitCallTo(String phone) {
        return Awaitility.await().atMost(WAIT).until(() -> callsTo(phone), calls -> !calls.isEmpty()).get(0);
    }

    private static List<TwilioCallsStandIn.Created> callsTo(String phone) {
        return TWILIO.created().stream().filter(call -> phone.equals(call.one("To"))).toList();
    }

    /** The calls placed for an account's leads, in the order they were placed. */
    private List<TwilioCallsStandIn.Created> callsOf(String account) {
        List<String> phones = database.queryForList("SELECT phone FROM dial_request WHERE account = ?", String.class,
                account);
        return TWILIO.created().stream().filter(call -> phones.contains(call.one("To"))).toList();
    }

    private Map<String, Object> attemptOf(String key) {
        List<Map<String, Object>> rows = database.queryForList(
                "SELECT * FROM dial_attempt WHERE idempotency_key = ? ORDER BY attempt_number", key);
        return rows.isEmpty() ? Map.of() : rows.get(0);
    }

    private Instant dueAt(String key) {
        Object due = attemptOf(key).get("due_at");
        return due == null ? Instant.EPOCH : ((Timestamp) due).toInstant();
    }

    /** Every request published so far has been read and its offset committed. */
    private boolean committedPastEverything() throws Exception {
        return KafkaOffsets.committed(KAFKA, GROUP, TOPIC) == KafkaOffsets.end(KAFKA, TOPIC);
    }
}
