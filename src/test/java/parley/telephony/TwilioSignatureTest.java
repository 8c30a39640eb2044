package parley.telephony;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;


import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import parley.config.ParleyProperties;
import parley.support.RunningParley;
import parley.support.TwilioPeer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** With an auth token set, only requests Twilio signed get through: webhooks and the media handshake. */
@TestPropertySource(properties = "parley.twilio.auth-token=" + TwilioSignatureTest.TOKEN)
class TwilioSignatureTest extends RunningParley {

    static final String TOKEN = "12345678901234567890123456789012";
    /** Tickets as Parley issues them, on the same fixed clock. */
    private static final StreamTickets TICKETS = new StreamTickets(
            new ParleyProperties.Twilio(TOKEN, "", URI.create("https://api.twilio.com")), Clock.fixed(NOW, ZoneOffset.UTC));

    private static final Map<String, String> INBOUND_CALL = new LinkedHashMap<>(Map.of(
            "CallSid", "CA1234", "AccountSid", "AC5678", "From", "+15551230000", "To", "+15559870000",
            "Direction", "inbound", "CallStatus", "ringing"));

    @Test
    void aSignedVoiceWebhookGetsTwimlThatConnectsABidirectionalStream() throws Exception {
        HttpResponse<String> response = post("/twilio/voice", INBOUND_CALL, sign(url("/twilio/voice"), INBOUND_CALL));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/xml");
        assertThat(response.headers().firstValue(TwilioSignatures.HEADER)).as("request headers are not echoed").isEmpty();
        assertThat(response.body()).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Connect>"
                + "<Stream url=\"ws://127.0.0.1:" + port + "/twilio/media\">"
                + "<Parameter name=\"CallSid\" value=\"CA1234\"/><Parameter name=\"AccountSid\" value=\"AC5678\"/>"
                + "<Parameter name=\"From\" value=\"+15551230000\"/><Parameter name=\"To\" value=\"+15559870000\"/>"
                + "<Parameter name=\"Direction\" value=\"inbound\"/>"
                + "<Parameter name=\"ParleyTicket\" value=\"" + TICKETS.issue("CA1234") + "\"/>"
                + "</Stream></Connect></Response>");
    }

    @Test
    void anUnsignedVoiceWebhookIsRefused() throws Exception {
        HttpResponse<String> response = post("/twilio/voice", INBOUND_CALL, null);
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).doesNotContain("<Response>");
    }

    @Test
    void aTamperedVoiceWebhookIsRefused() throws Exception {
        String signature = sign(url("/twilio/voice"), INBOUND_CALL);
        Map<String, String> tampered = new LinkedHashMap<>(INBOUND_CALL);
        tampered.put("To", "+15550000000");
        assertThat(post("/twilio/voice", tampered, signature).statusCode()).isEqualTo(403);
    }

    @Test
    void statusCallbacksAreCheckedToo() throws Exception {
        Map<String, String> status = Map.of("CallSid", "CA1234", "CallStatus", "completed", "CallDuration", "42");
        assertThat(post("/twilio/status", status, sign(url("/twilio/status"), status)).statusCode()).isEqualTo(204);
        assertThat(post("/twilio/status", status, "bm90IGEgc2lnbmF0dXJl").statusCode()).isEqualTo(403);
    }

    @Test
    void anUnsignedMediaHandshakeIsRefusedBeforeTheUpgrade() {
        assertThatThrownBy(() -> TwilioPeer.connect(mediaUrl(), "CAforged", Map.of()))
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode())
                        .isEqualTo(403));
    }

    @Test
    void aSignedStreamWithTheWebhooksTicketBecomesACallOnce() throws Exception {
        String ticket = ticketFromTheWebhook("CAsigned");
        try (TwilioPeer peer = signedPeer("CAsigned")) {
            peer.connected().start(Map.of(StreamTickets.PARAMETER, ticket));
            peer.await(TwilioPeer.event("media"), 1, Duration.ofSeconds(10));
        }
        try (TwilioPeer replay = signedPeer("CAsigned")) {
            replay.connected().start(Map.of(StreamTickets.PARAMETER, ticket));
            assertRefused(replay);
        }
    }

    @Test
    void aSignedStreamWithoutATicketOrWithAnotherCallsIsRefused() throws Exception {
        try (TwilioPeer noTicket = signedPeer("CAnoticket")) {
            noTicket.connected().start(Map.of());
            assertRefused(noTicket);
        }
        String othersTicket = ticketFromTheWebhook("CAother");
        try (TwilioPeer borrowed = signedPeer("CAborrowed")) {
            borrowed.connected().start(Map.of(StreamTickets.PARAMETER, othersTicket));
            assertRefused(borrowed);
        }
    }

    private TwilioPeer signedPeer(String callSid) throws Exception {
        return TwilioPeer.connect(mediaUrl(), callSid, Map.of(TwilioSignatures.HEADER, sign(mediaUrl().toString(), Map.of())));
    }

    /** Answers the voice webhook as Twilio would ask it, and reads the ticket from the TwiML's parameters. */
    private String ticketFromTheWebhook(String callSid) throws Exception {
        Map<String, String> call = new LinkedHashMap<>(INBOUND_CALL);
        call.put("CallSid", callSid);
        String twiml = post("/twilio/voice", call, sign(url("/twilio/voice"), call)).body();
        Matcher ticket = Pattern.compile("<Parameter name=\"" + StreamTickets.PARAMETER + "\" value=\"([^\"]+)\"/>")
                .matcher(twiml);
        assertThat(ticket.find()).as("a ticket in %s", twiml).isTrue();
        return ticket.group(1);
    }

    /** Parley hangs up on the stream without a word of audio. */
    private static void assertRefused(TwilioPeer peer) throws Exception {
        assertThat(peer.closed).succeedsWithin(Duration.ofSeconds(10));
        assertThat(peer.matching(TwilioPeer.event("media"))).isEmpty();
    }

    private String url(String path) {
        return httpUrl(path).toString();
    }

    private HttpResponse<String> post(String path, Map<String, String> form, String signature) throws Exception {
        String body = form.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            request.header(TwilioSignatures.HEADER, signature);
        }
        return TwilioPeer.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Twilio's scheme, written out from its documentation: HMAC-SHA1 over the URL and sorted name+value pairs. */
    static String sign(String url, Map<String, String> parameters) {
        return TwilioSignatures.sign(TOKEN, url, parameters);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
