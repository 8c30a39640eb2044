package parley.processors;

import java.io.IOException;
import java.net.URI;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.net.SocketAddress;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.config.ParleyProperties;
import parley.records.ApiAccess;
import parley.records.OperatorSessions;

/**
 * {@code POST /api/login} with {@code {"password": "..."}}: the operators' password opens a session, held by
 * the browser in an HttpOnly cookie that scripts on a page cannot read. A wrong password gets 401; ten wrong
 * ones from one address in ten minutes, 429 until they age out.
 */
@Component
public class LogIn implements Processor {

    /** The cookie that carries an operator's session. */

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OperatorSessions sessions;
    private final boolean secureCookie;

    public LogIn(OperatorSessions sessions, ParleyProperties properties) {
        this.sessions = sessions;
        URI publicUrl = properties.publicUrl();
        this.secureCookie = "https".equalsIgnoreCase(publicUrl.getScheme());
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        JsonNode given = body(message.getBody(String.class));
        SocketAddress client = message.getHeader("CamelVertxPlatformHttpRemoteAddress", SocketAddress.class);
        OperatorSessions.Login login = sessions.logIn(text(given, "user"), text(given, "password"),
                client == null ? "unknown" : client.host());
        if (login instanceof OperatorSessions.Login.Opened opened) {
            long seconds = opened.lasts().toSeconds();
            message.getHeaders().clear();
            message.setHeader(Exchange.CONTENT_TYPE, "application/json");
            message.setHeader("Set-Cookie", cookie(opened.token(), seconds));
            message.setBody("{\"expires_in_s\": " + seconds + "}");
        } else if (login instanceof OperatorSessions.Login.Throttled) {
            WriteJson.error(message, 429, "too many failed logins from this address; try again later");
            message.setHeader("Retry-After", OperatorSessions.FAILURE_WINDOW.toSeconds());
        } else {
            WriteJson.error(message, 401, sessions.enabled() ? "wrong user or password"
                    : "no login is configured (parley.records.operator-password or parley.records.operators)");
        }
    }

    /** A cookie that opens (or, with {@code maxAgeSeconds} 0, ends) the session {@code token}. */
    String cookie(String token, long maxAgeSeconds) {
        return ApiAccess.COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + maxAgeSeconds
                + (secureCookie ? "; Secure" : "");
    }

    private static JsonNode body(String body) {
        try {
            return body == null ? null : JSON.readTree(body);
        } catch (IOException e) {
            // A body that is not JSON names no password: it is refused as a wrong one is.
            return null;
        }
    }

    private static String text(JsonNode body, String field) {
        return body != null && body.path(field).isTextual() && !body.get(field).asText().isEmpty()
                ? body.get(field).asText() : null;
    }

    /** The session token a request's cookies carry, or null. */
    static String sessionCookie(Message message) {
        return ApiAccess.sessionToken(message.getHeader("Cookie", String.class));
    }
}
