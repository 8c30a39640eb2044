package parley.records;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import parley.call.CallRegistry;
import parley.simulator.SimulatedCall;
import parley.support.RunningParley;
import parley.support.WatchedCall;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The records read back over HTTP: only with the API token; calls found by their filters, one call with its
 * turns, lines and events as JSON, and its recording whole or by range.
 */
@TestPropertySource(properties = {"parley.records.api-token=" + RecordsApiTest.TOKEN,
        "parley.records.operator-password=" + RecordsApiTest.PASSWORD,
        "parley.records.operators.jane=" + RecordsApiTest.JANES_HASH})
class RecordsApiTest extends RunningParley {

    static final String TOKEN = "test-records-token";
    static final String PASSWORD = "correct horse battery staple";
    /** {@code java -jar parley.jar hash-password} of "jane s3cret". */
    static final String JANES_HASH = "pbkdf2-sha256$210000$aU/U7soRVUMr8918I7q8ng==$VbdHLDwiWx0aICtmcJM5XAchwiaDyojGXXELK+EDgyI=";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    CallRegistry calls;

    @Autowired
    JdbcTemplate database;

    @Test
    void withoutTheTokenEveryRequestIsAnswered401() throws Exception {
        assertThat(get("/api/calls", null).statusCode()).isEqualTo(401);
        assertThat(get("/api/calls", "wrong").statusCode()).isEqualTo(401);
        assertThat(get("/api/calls/CAanything", null).statusCode()).isEqualTo(401);
    }

    @Test
    void aCallItsTurnsLinesAndEventsAreReadBackAsJsonAndFound() throws Exception {
        String sid = "CAapi00000000000000000000000001";
        callSaying(sid, "Sure, what's this about?");

        JsonNode listed = Awaitility.await().atMost(Duration.ofSeconds(20)).until(
                () -> JSON.readTree(get("/api/calls", TOKEN).body()), list -> contains(list, sid));
        assertThat(listed.isArray()).isTrue();
        assertThat(found("?outcome=booked", sid)).as("filtered by an outcome it did not reach").isFalse();
        assertThat(found("?direction=inbound", sid)).isTrue();
        assertThat(found("?direction=outbound-api", sid)).isFalse();
        assertThat(found("?campaign=spring-offer", sid)).as("not an outbound campaign's call").isFalse();
        assertThat(found("?text=what%27s%20THIS", sid)).as("words the caller said, in any case").isTrue();
        assertThat(found("?text=zebra", sid)).isFalse();
        assertThat(found("?text=%25", sid)).as("a % is a character searched for, not a wildcard").isFalse();
        assertThat(found("?from=" + NOW.minusSeconds(60) + "&to=" + NOW.plusSeconds(60), sid)).isTrue();
        assertThat(found("?from=" + NOW.plusSeconds(60), sid)).as("started before that").isFalse();
        assertThat(JSON.readTree(get("/api/calls?limit=1", TOKEN).body())).hasSize(1);

        HttpResponse<String> one = get("/api/calls/" + sid, TOKEN);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("json"));
        JsonNode call = JSON.readTree(one.body());
        assertThat(call.get("call_sid").asText()).isEqualTo(sid);
        assertThat(call.get("started_at").asText()).as("an ISO-8601 time").startsWith("2026-11-25T15:00:00");
        assertThat(call.get("served_by").path("voice").isArray()).as("jsonb as JSON").isTrue();
        assertThat(call.get("turns")).hasSize(1);
        JsonNode turn = call.get("turns").get(0);
        assertThat(turn.get("said").asText()).isEqualTo("Sure, what's this about?");
        assertThat(turn.get("first_audio_ms").asLong()).isPositive();
        assertThat(turn.get("first_token_ms").isNull()).as("no model answered").isTrue();
        assertThat(turn.get("sources").isArray()).isTrue();
        assertThat(call.get("lines")).extracting(line -> line.get("speaker").asText()).startsWith("agent", "caller");
        assertThat(call.get("events").isArray()).isTrue();
        assertThat(get("/api/calls/CAnosuchcall", TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void aFilterThatCannotBeReadIsAnswered400AndSaysWhy() throws Exception {
        HttpResponse<String> badTime = get("/api/calls?from=yesterday", TOKEN);
        assertThat(badTime.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badTime.body()).get("error").asText()).contains("from").contains("ISO-8601");
        HttpResponse<String> badOutcome = get("/api/calls?outcome=sold", TOKEN);
        assertThat(badOutcome.statusCode()).isEqualTo(400);
        assertThat(badOutcome.body()).contains("booked");
        assertThat(get("/api/calls?limit=0", TOKEN).statusCode()).isEqualTo(400);
        assertThat(get("/api/calls?limit=many", TOKEN).statusCode()).isEqualTo(400);
    }

    @Test
    void aRecordingIsServedWholeOrByTheRangeAPlayerAsksFor() throws Exception {
        String sid = "CAapirecording00000000000000000001";
        callSaying(sid, "Not interested, thanks.");
        String path = "/api/calls/" + sid + "/recording";
        HttpResponse<byte[]> whole = Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> getBytes(path, TOKEN, null), answer -> answer.statusCode() == 200);
        int size = whole.body().length;
        assertThat(whole.headers().firstValue("Content-Type")).hasValue("audio/wav");
        assertThat(whole.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(new String(whole.body(), 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        assertThat(size).as("seconds of stereo 16-bit 8 kHz audio").isGreaterThan(44 + 32_000);

        HttpResponse<byte[]> header = getBytes(path, TOKEN, "bytes=0-43");
        assertThat(header.statusCode()).isEqualTo(206);
        assertThat(header.headers().firstValue("Content-Range")).hasValue("bytes 0-43/" + size);
        assertThat(header.body()).isEqualTo(Arrays.copyOfRange(whole.body(), 0, 44));

        HttpResponse<byte[]> seek = getBytes(path, TOKEN, "bytes=32044-");
        assertThat(seek.statusCode()).isEqualTo(206);
        assertThat(seek.body()).isEqualTo(Arrays.copyOfRange(whole.body(), 32_044, size));
        HttpResponse<byte[]> tail = getBytes(path, TOKEN, "bytes=-100");
        assertThat(tail.headers().firstValue("Content-Range")).hasValue("bytes " + (size - 100) + "-" + (size - 1) + "/" + size);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(whole.body(), size - 100, size));

        HttpResponse<byte[]> beyond = getBytes(path, TOKEN, "bytes=" + size + "-");
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */" + size);
        assertThat(getBytes(path, null, null).statusCode()).isEqualTo(401);
        assertThat(getBytes("/api/calls/CAnosuchcall/recording", TOKEN, null).statusCode()).isEqualTo(404);
    }

    @Test
    void aNamedOperatorLogsInWithTheirOwnPasswordOnly() throws Exception {
        database.update("DELETE FROM login_failure");
        HttpResponse<String> jane = logIn("{\"user\": \"jane\", \"password\": \"jane s3cret\"}");
        assertThat(jane.statusCode()).isEqualTo(200);
        String cookie = jane.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        assertThat(withCookie("/api/calls", cookie).statusCode()).isEqualTo(200);
        assertThat(database.queryForList("SELECT operator FROM operator_session", String.class)).contains("jane");
        assertThat(logIn("{\"user\": \"jane\", \"password\": \"" + PASSWORD + "\"}").statusCode())
                .as("the shared password is not hers").isEqualTo(401);
        assertThat(logIn("{\"user\": \"john\", \"password\": \"jane s3cret\"}").statusCode())
                .as("no such operator").isEqualTo(401);
        database.update("DELETE FROM login_failure");
    }

    @Test
    void aLoginOrLogoutFromAnotherSiteIsRefused() throws Exception {
        String body = "{\"password\": \"" + PASSWORD + "\"}";
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(httpUrl("/api/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("password=" + PASSWORD)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(form.statusCode()).as("a form another site's page can post").isEqualTo(415);
        HttpResponse<String> elsewhere = http.send(HttpRequest.newBuilder(httpUrl("/api/login"))
                .header("Content-Type", "application/json").header("Origin", "https://attacker.example")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(elsewhere.statusCode()).isEqualTo(403);
        assertThat(elsewhere.headers().firstValue("Set-Cookie")).isEmpty();
        HttpResponse<String> ownPage = http.send(HttpRequest.newBuilder(httpUrl("/api/login"))
                .header("Content-Type", "application/json").header("Origin", "http://127.0.0.1:" + port)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ownPage.statusCode()).isEqualTo(200);
        HttpResponse<String> logoutForm = http.send(HttpRequest.newBuilder(httpUrl("/api/logout"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(logoutForm.statusCode()).isEqualTo(415);
    }

    @Test
    void anOperatorsLoginSessionIsACookieTheApiAdmitsUntilLogoutOrExpiry() throws Exception {
        database.update("DELETE FROM login_failure");
        assertThat(logIn("{\"password\": \"guess\"}").statusCode()).isEqualTo(401);
        assertThat(logIn("not json").statusCode()).isEqualTo(401);

        HttpResponse<String> opened = logIn("{\"password\": \"" + PASSWORD + "\"}");
        assertThat(opened.statusCode()).isEqualTo(200);
        String setCookie = opened.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("parley_session=").contains("HttpOnly").contains("SameSite=Strict")
                .contains("Max-Age=43200");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String token = cookie.substring("parley_session=".length());
        assertThat(withCookie("/api/calls", cookie).statusCode()).isEqualTo(200);
        assertThat(database.queryForList("SELECT token_sha256 FROM operator_session", String.class))
                .as("only the token's digest is kept").isNotEmpty().doesNotContain(token);
        assertThat(withCookie("/api/calls", "parley_session=forged").statusCode()).isEqualTo(401);

        HttpResponse<String> closed = http.send(HttpRequest.newBuilder(httpUrl("/api/logout"))
                .header("Cookie", cookie).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(closed.statusCode()).isEqualTo(204);
        assertThat(closed.headers().firstValue("Set-Cookie")).hasValueSatisfying(c -> assertThat(c).contains("Max-Age=0"));
        assertThat(withCookie("/api/calls", cookie).statusCode()).as("logged out").isEqualTo(401);

        String again = logIn("{\"password\": \"" + PASSWORD + "\"}").headers().firstValue("Set-Cookie").orElseThrow();
        String second = again.substring(0, again.indexOf(';'));
        assertThat(withCookie("/api/calls", second).statusCode()).isEqualTo(200);
        database.update("UPDATE operator_session SET expires_at = ?", java.sql.Timestamp.from(NOW));
        assertThat(withCookie("/api/calls", second).statusCode()).as("expired").isEqualTo(401);
    }

    @Test
    void tenWrongPasswordsFromOneAddressAndEvenTheRightOneIsRefused() throws Exception {
        database.update("DELETE FROM login_failure");
        for (int i = 0; i < OperatorSessions.MAX_FAILURES; i++) {
            assertThat(logIn("{\"password\": \"guess " + i + "\"}").statusCode()).isEqualTo(401);
        }
        HttpResponse<String> refused = logIn("{\"password\": \"" + PASSWORD + "\"}");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("600");
        assertThat(refused.headers().firstValue("Set-Cookie")).isEmpty();
        database.update("DELETE FROM login_failure");
    }

    /** A short call: the caller says one line, and hangs up once the agent has answered. */
    private void callSaying(String sid, String line) throws Exception {
        WatchedCall.place(calls, SimulatedCall.to(mediaUrl().toString()).callSid(sid).say(line)
                .idleHangup(Duration.ofSeconds(2)).maxDuration(Duration.ofSeconds(30)).build());
    }

    private HttpResponse<String> logIn(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(httpUrl("/api/login")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> withCookie(String path, String cookie) throws Exception {
        return http.send(HttpRequest.newBuilder(httpUrl(path)).header("Cookie", cookie).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private boolean found(String query, String sid) throws Exception {
        HttpResponse<String> answer = get("/api/calls" + query, TOKEN);
        assertThat(answer.statusCode()).as(query).isEqualTo(200);
        return contains(JSON.readTree(answer.body()), sid);
    }

    private HttpResponse<byte[]> getBytes(String path, String token, String range) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(httpUrl(path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (range != null) {
            request.header("Range", range);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static boolean contains(JsonNode list, String sid) {
        for (JsonNode call : list) {
            if (call.get("call_sid").asText().equals(sid)) {
                return true;
            }
        }
        return false;
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(
                mediaUrl().toString().replaceFirst("^ws", "http").replace("/twilio/media", path))).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
