package parley.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import parley.simulator.TwilioWebhooks;

/**
 * A stand-in for Twilio's Calls API ({@code POST /2010-04-01/Accounts/{AccountSid}/Calls.json}), on
 * loopback: it checks the account's Basic credentials, answers 201 with the call's JSON after Twilio's usual
 * time to take a call (150 ms), refuses numbers it is told are invalid as Twilio does (400, code 21211), and
 * can answer 429 to the next requests. It keeps every request's form, and sends a call's status callbacks,
 * signed with the auth token as Twilio signs them.
 */
final class TwilioCallsStandIn implements AutoCloseable {

    static final long TAKES_MS = 150;

    /** One Calls.create request: its form, each parameter's values in order. */
    record Created(String callSid, Map<String, List<String>> form) {
        String one(String name) {
            List<String> values = form.get(name);
            return values == null ? null : values.get(0);
        }
    }

    private final String accountSid;
    private final String authToken;
    private final HttpServer server;
    private final List<Created> created = new CopyOnWriteArrayList<>();
    private final Set<String> invalidNumbers = new HashSet<>();
    private final AtomicInteger tooManyLeft = new AtomicInteger();
    private final AtomicInteger sids = new AtomicInteger();
    private final HttpClient http = HttpClient.newHttpClient();

    TwilioCallsStandIn(String accountSid, String authToken) throws IOException {
        this.accountSid = accountSid;
        this.authToken = authToken;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/2010-04-01/Accounts/", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    synchronized void invalid(String number) {
        invalidNumbers.add(number);
    }

    /** The next {@code count} requests are answered 429, as Twilio answers an account over its rate. */
    void tooMany(int count) {
        tooManyLeft.set(count);
    }

    List<Created> created() {
        return List.copyOf(created);
    }

    /** Twilio's status callback for a call it placed: {@code status} (completed, busy, no-answer, ...). */
    int finish(Created call, String status) throws Exception {
        Map<String, String> form = about(call);
        form.put("CallStatus", status);
        form.put("Direction", "outbound-api");
        form.put("To", call.one("To"));
        form.put("From", call.one("From"));
        return post(call.one("StatusCallback"), form);
    }

    /** Twilio's asynchronous answering-machine detection callback: who answered ({@code human}, {@code machine_end_beep}...). */
    int detect(Created call, String answeredBy) throws Exception {
        Map<String, String> form = about(call);
        form.put("AnsweredBy", answeredBy);
        form.put("MachineDetectionDuration", "4200");
        return post(call.one("AsyncAmdStatusCallback"), form);
    }

    /** The start of every callback's form: whose call it is. */
    private Map<String, String> about(Created call) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("AccountSid", accountSid);
        form.put("CallSid", call.callSid());
        return form;
    }

    private int post(String url, Map<String, String> form) throws Exception {
        return TwilioWebhooks.post(http, URI.create(url), form, authToken).statusCode();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String expected = "Basic " + Base64.getEncoder().encodeToString(
                    (accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8));
            String path = exchange.getRequestURI().getPath();
            if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer(exchange, 401, "{\"code\": 20003, \"message\": \"Authenticate\", \"status\": 401}");
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())
                    || !path.equals("/2010-04-01/Accounts/" + accountSid + "/Calls.json")) {
                answer(exchange, 404, "{\"code\": 20404, \"message\": \"The requested resource was not found\","
                        + " \"status\": 404}");
                return;
            }
            Map<String, List<String>> form = form(exchange.getRequestBody());
            Thread.sleep(TAKES_MS);
            if (tooManyLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                answer(exchange, 429, "{\"code\": 20429, \"message\": \"Too Many Requests\", \"status\": 429}");
                return;
            }
            String to = form.getOrDefault("To", List.of("")).get(0);
            synchronized (this) {
                if (invalidNumbers.contains(to)) {
                    answer(exchange, 400, "{\"code\": 21211, \"message\": \"Invalid 'To' Phone Number: " + to
                            + "\", \"more_info\": \"https://www.twilio.com/docs/errors/21211\", \"status\": 400}");
                    return;
                }
            }
            String sid = String.format("CA%032d", sids.incrementAndGet());
            created.add(new Created(sid, form));
            answer(exchange, 201, "{\"sid\": \"" + sid + "\", \"account_sid\": \"" + accountSid + "\", \"to\": \""
                    + to + "\", \"from\": \"" + form.get("From").get(0) + "\", \"status\": \"queued\","
                    + " \"direction\": \"outbound-api\", \"api_version\": \"2010-04-01\","
                    + " \"uri\": \"/2010-04-01/Accounts/" + accountSid + "/Calls/" + sid + ".json\"}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static Map<String, List<String>> form(InputStream body) throws IOException {
        Map<String, List<String>> form = new LinkedHashMap<>();
        String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            form.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return form;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
