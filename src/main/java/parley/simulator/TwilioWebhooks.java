package parley.simulator;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import parley.telephony.TwilioSignatures;

/**
 * Posts to a webhook as Twilio does (a form, signed with the account's auth token when there is one), and
 * reads the TwiML a voice webhook answers.
 */
public final class TwilioWebhooks {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern PARAMETER = Pattern.compile("<Parameter name=\"([^\"]*)\" value=\"([^\"]*)\"/>");
    private static final Pattern STREAM = Pattern.compile("<Stream[^>]* url=\"([^\"]*)\"");

    private TwilioWebhooks() {
    }

    /** Posts {@code form} to {@code url}, signed with {@code authToken} unless it is null or blank. */
    public static HttpResponse<String> post(HttpClient http, URI url, Map<String, String> form, String authToken)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.entrySet().stream()
                        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&"))));
        if (authToken != null && !authToken.isBlank()) {
            request.header(TwilioSignatures.HEADER, TwilioSignatures.sign(authToken, url.toString(), form));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What a voice webhook answered: the stream to open and its parameters, or a refusal. */
    public record Twiml(String xml) {

        /** The {@code <Connect><Stream>} URL, or null when the call is not connected to a stream. */
        public URI streamUrl() {
            Matcher stream = STREAM.matcher(xml);
            return stream.find() ? URI.create(unescape(stream.group(1))) : null;
        }

        /** The stream's {@code <Parameter>}s, which Twilio hands back in its {@code start}. */
        public Map<String, String> parameters() {
            Map<String, String> parameters = new LinkedHashMap<>();
            Matcher parameter = PARAMETER.matcher(xml);
            while (parameter.find()) {
                parameters.put(unescape(parameter.group(1)), unescape(parameter.group(2)));
            }
            return parameters;
        }

        /** {@code <Reject reason="busy">}: Twilio ends the call as busy. */
        public boolean rejectedBusy() {
            return xml.contains("<Reject reason=\"busy\"");
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String unescape(String text) {
        return text.replace("&quot;", "\"").replace("&apos;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }
}
