package parley.outbound;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

import com.twilio.exception.ApiException;
import com.twilio.http.HttpClient;
import com.twilio.http.HttpMethod;
import com.twilio.http.Request;
import com.twilio.http.Response;

/**
 * twilio-java's requests, sent with the JDK's HTTP client to {@code parley.twilio.api-url}: Twilio's API, or
 * a local server that speaks it. twilio-java builds its URLs for api.twilio.com and cannot be told another
 * host; its HTTP client can be replaced, and this one keeps the path and query and changes the host.
 */
final class TwilioApiClient extends HttpClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Headers the JDK's client sets itself and refuses to be given. */
    private static final Set<String> RESTRICTED = Set.of("host", "connection", "content-length", "expect", "upgrade");

    private final String base;
    private final java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    TwilioApiClient(URI base) {
        this.base = base.toString().replaceAll("/+$", "");
    }

    @Override
    public Response makeRequest(Request request) {
        URL twilioUrl = request.constructURL();
        HttpRequest.Builder sent = HttpRequest.newBuilder(URI.create(base + twilioUrl.getFile())).timeout(TIMEOUT);
        if (request.requiresAuthentication()) {
            sent.header("Authorization", request.getAuthString());
        }
        request.getHeaderParams().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase())) {
                values.forEach(value -> sent.header(name, value));
            }
        });
        HttpMethod method = request.getMethod();
        if (method == HttpMethod.POST) {
            sent.header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(request.encodeFormBody()));
        } else {
            sent.method(method.toString(), HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> answer = http.send(sent.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(answer.body(), answer.statusCode());
        } catch (IOException e) {
            throw new ApiException("Twilio's API could not be reached at " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException("interrupted while calling Twilio's API", e);
        }
    }
}
