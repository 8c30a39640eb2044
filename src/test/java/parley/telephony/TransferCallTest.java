package parley.telephony;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import parley.call.CallRegistry;
import parley.conversation.SalesScript;
import parley.simulator.SimulatedCall;
import parley.support.RunningParley;
import parley.support.WatchedCall;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The caller asks for a person: the agent says its line, then Parley updates the call through Twilio's REST
 * API (a local stand-in here) with TwiML that dials the script's number.
 */
class TransferCallTest extends RunningParley {

    private static final String TOKEN = "twilio-test-token-0123456789abcdef";
    private static final String ACCOUNT = "AC00000000000000000000000000000001";
    private static final List<String[]> REQUESTS = new CopyOnWriteArrayList<>();
    private static final HttpServer TWILIO_API = start();

    @DynamicPropertySource
    static void twilio(DynamicPropertyRegistry registry) {
        registry.add("parley.twilio.auth-token", () -> TOKEN);
        registry.add("parley.twilio.account-sid", () -> ACCOUNT);
        registry.add("parley.twilio.api-url", () -> "http://127.0.0.1:" + TWILIO_API.getAddress().getPort());
    }

    @AfterAll
    static void stop() {
        TWILIO_API.stop(0);
    }

    @Autowired
    CallRegistry calls;

    @Autowired
    SalesScript script;

    @Test
    void theCallGoesToASpecialistAfterTheAgentsLine() throws Exception {
        String callSid = "CAtransfer00000000000000000000001";
        WatchedCall watched = WatchedCall.place(calls, SimulatedCall.to(mediaUrl().toString())
                .authToken(TOKEN).callSid(callSid)
                .say("Can I speak to an actual person, please?")
                .idleHangup(Duration.ofSeconds(3)).maxDuration(Duration.ofSeconds(40)).build());

        assertThat(REQUESTS).hasSize(1);
        String[] request = REQUESTS.get(0);
        assertThat(request[0]).isEqualTo("/2010-04-01/Accounts/" + ACCOUNT + "/Calls/" + callSid + ".json");
        assertThat(request[1]).isEqualTo("Basic " + java.util.Base64.getEncoder().encodeToString(
                (ACCOUNT + ":" + TOKEN).getBytes(StandardCharsets.UTF_8)));
        assertThat(URLDecoder.decode(request[2], StandardCharsets.UTF_8)).isEqualTo("Twiml="
                + "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Dial><Number>+15550100999</Number></Dial></Response>");
        assertThat(watched.history()).last().extracting(e -> e.text())
                .isEqualTo(script.states().get("specialist").say().get(0));
        assertThat(watched.session().endReason()).isEqualTo("transferred to +15550100999");
    }

    private static HttpServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                REQUESTS.add(new String[]{exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("Authorization"), body});
                byte[] answer = "{\"sid\":\"CAtransfer\",\"status\":\"in-progress\"}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
