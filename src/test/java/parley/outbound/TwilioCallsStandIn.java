package parley.outbound;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import parley.simulator.TwilioWebhooks;

/**
 * A stand-in for Twilio's Calls API ({@code POST /2010-04-01/Accounts/{AccountSid}/Calls.json}), on
 * loopback: it checks the account's Basic credentials, answers 201 with the call's JSON after Twilio's usual
 * time to take a call (150 ms), refuses numbers it is told are invalid as Twilio does (400, code 21211), and
 * can answer 429 to the next requests. It lists the account's calls to a number, newest first, as
 * {@code GET .../Calls.json?To=} does, their {@code date_created} on the clock it is given (the tests' fixed
 * day), and fetches one call with the status it ended with. It keeps every request's form, and sends a call's status callbacks, signed with the auth token as
 * Twilio signs them.
 */
final class TwilioCallsStandIn implements AutoCloseable {

    static final long TAKES_MS = 150;
    /** Twilio's dates are RFC 2822's: "Wed, 25 Nov 2026 15:00:00 +0000". */
    private static final DateTimeFormatter TWILIO_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z",
            Locale.US);

    /** One Calls.create request: its form, each parameter's values in order. */
    record Created(String callSid, Instant at, Map<String, List<String>> form) {
        String one(String name) {
            List<String> values = form.get(name);
            return values == null ? null : values.get(0);
        }
    }

    private final Clock clock;
    private final String accountSid;
    private final String authToken;
    private final HttpServer server;
    private final List<Created> created = new CopyOnWriteArrayList<>();
    private final Set<String> invalidNumbers = new HashSet<>();
    private final AtomicInteger tooManyLeft = new AtomicInteger();
    private final AtomicInteger sids = new AtomicInteger();
    /** How each call ended, as Twilio's fetch of the call reports it. */
    private final Map<String, String> endings = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();

    TwilioCallsStandIn(String accountSid, String authToken, Clock clock) throws IOException {
        this.clock = clock;
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

    /**
     * A call to {@code to} that Twilio holds as if placed {@code at} by the instance at {@code instance}, whose
     * request's answer never reached it (it stopped first).
     */
    Created held(String to, Instant at, URI instance) {
        Created call = new Created(String.format("CA%032d", sids.incrementAndGet()), at,
                Map.of("To", List.of(to), "From", List.of("+15550109999"),
                        "StatusCallback", List.of(instance.resolve("/twilio/status").toString())));
        created.add(call);
        return call;
    }

    List<Created> created() {
        return List.copyOf(created);
    }

    /** Twilio's status callback for a call it placed: {@code status} (completed, busy, no-answer, ...). */
    int finish(Created call, String status) throws Exception {
        return finish(call, status, URI.create(call.one("StatusCallback")));
    }

    /**
     * The same, reaching the instance at {@code instance} (scheme, host and port): Parley's public URL leads to
     * whichever instance is up, and the one that asked for the call may have stopped.
     */
    int finishAt(Created call, String status, URI instance) throws Exception {
        return finish(call, status, instance.resolve(URI.create(call.one("StatusCallback")).getPath()));
    }

    /** The call ended with {@code status}, and its status callback was lost on the way: no instance heard it. */
    void endedUnheard(Created call, String status) {
        endings.put(call.callSid(), status);
    }

    private int finish(Created call, String status, URI statusCallback) throws Exception {
        endings.put(call.callSid(), status);
        Map<String, String> form = about(call);
        form.put("CallStatus", status);
        form.put("Direction", "outbound-api");
        form.put("To", call.one("To"));
        form.put("From", call.one("From"));
        return post(statusCallback.toString(), form);
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
            String callsPath = "/2010-04-01/Accounts/" + accountSid + "/Calls";
            boolean calls = path.equals(callsPath + ".json");
            if (calls && "GET".equals(exchange.getRequestMethod())) {
                list(exchange);
                return;
            }
            Created fetched = created.stream().filter(call -> path.equals(callsPath + "/" + call.callSid() + ".json"))
                    .findFirst().orElse(null);
            if (fetched != null && "GET".equals(exchange.getRequestMethod())) {
                answer(exchange, 200, json(fetched));
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod()) || !calls) {
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
            Created call = new Created(String.format("CA%032d", sids.incrementAndGet()), clock.instant(), form);
            created.add(call);
            answer(exchange, 201, json(call));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String json(Created call) {
        return "{\"sid\": \"" + call.callSid() + "\", \"account_sid\": \"" + accountSid + "\", \"to\": \""
                + call.one("To") + "\", \"from\": \"" + call.one("From") + "\", \"status\": \""
                + endings.getOrDefault(call.callSid(), "queued") + "\","
                + " \"direction\": \"outbound-api\", \"api_version\": \"2010-04-01\", \"date_created\": \""
                + TWILIO_DATE.format(call.at().atOffset(ZoneOffset.UTC)) + "\","
                + " \"uri\": \"/2010-04-01/Accounts/" + accountSid + "/Calls/" + call.callSid() + ".json\"}";
    }

    /** One page of the account's calls, newest first, to the number in {@code To} if it is given. */
    private void list(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        Map<String, List<String>> filters = form(new ByteArrayInputStream(
                (query == null ? "" : query).getBytes(StandardCharsets.UTF_8)));
        String to = filters.containsKey("To") ? filters.get("To").get(0) : null;
        List<Created> newestFirst = new ArrayList<>(created);
        Collections.reverse(newestFirst);
        String calls = newestFirst.stream().filter(call -> to == null || to.equals(call.one("To")))
                .map(this::json).collect(Collectors.joining(", "));
        String uri = "/2010-04-01/Accounts/" + accountSid + "/Calls.json";
        answer(exchange, 200, "{\"calls\": [" + calls + "], \"first_page_uri\": \"" + uri + "?PageSize=20&Page=0\","
                + " \"next_page_uri\": null, \"previous_page_uri\": null, \"page\": 0, \"page_size\": 20,"
                + " \"start\": 0, \"end\": 0, \"uri\": \"" + uri + "\"}");
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
