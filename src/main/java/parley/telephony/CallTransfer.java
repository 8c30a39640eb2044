package parley.telephony;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Number;
import org.springframework.stereotype.Component;
import parley.config.ParleyProperties;

/**
 * Hands a live call to a person: Twilio's call update ({@code POST /2010-04-01/Accounts/{AccountSid}/Calls/
 * {CallSid}.json}) with TwiML that dials the number. The media stream then ends and Twilio closes the socket.
 */
@Component
public class CallTransfer {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ParleyProperties.Twilio twilio;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    public CallTransfer(ParleyProperties properties) {
        this.twilio = properties.twilio();
    }

    /** The TwiML the call continues with. */
    public static String dialTwiml(String number) {
        return new VoiceResponse.Builder()
                .dial(new Dial.Builder().number(new Number.Builder(number).build()).build())
                .build().toXml();
    }

    /** Completes with Twilio's status code; fails with a message that says what is missing or wrong. */
    public CompletableFuture<Integer> transfer(String callSid, String number) {
        if (twilio.accountSid().isBlank() || twilio.authToken().isBlank()) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "cannot transfer: parley.twilio.account-sid and parley.twilio.auth-token are needed"));
        }
        URI uri = URI.create(twilio.apiUrl().toString().replaceAll("/+$", "") + "/2010-04-01/Accounts/"
                + twilio.accountSid() + "/Calls/" + callSid + ".json");
        String form = "Twiml=" + URLEncoder.encode(dialTwiml(number), StandardCharsets.UTF_8);
        String credentials = Base64.getEncoder().encodeToString(
                (twilio.accountSid() + ":" + twilio.authToken()).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Authorization", "Basic " + credentials)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("Twilio refused the transfer: HTTP " + response.statusCode() + " "
                        + response.body());
            }
            return response.statusCode();
        });
    }
}
