package parley.processors;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.config.ParleyProperties;
import parley.records.OperatorSessions;

/**
 * The records API answers only a request carrying {@code Authorization: Bearer <parley.records.api-token>} (a
 * tool's) or the cookie of an open operator's session ({@link LogIn}); any other gets 401 and the route stops.
 * With neither a token nor a password set, every request gets 401: records are not public.
 */
@Component
public class CheckApiAccess implements Processor {

    private final byte[] expected;
    private final OperatorSessions sessions;

    public CheckApiAccess(ParleyProperties properties, OperatorSessions sessions) {
        String token = properties.records().apiToken();
        this.expected = token.isEmpty() ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.sessions = sessions;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        String given = message.getHeader("Authorization", String.class);
        // Compared in constant time: the time taken must not tell how much of a guessed token was right.
        if (expected != null && given != null
                && MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
            return;
        }
        if (sessions.enabled() && sessions.admits(LogIn.sessionCookie(message))) {
            return;
        }
        WriteJson.error(message, 401, "an API token (Authorization: Bearer <parley.records.api-token>) or an"
                + " operator's session (POST /api/login) is required");
        message.setHeader("WWW-Authenticate", "Bearer realm=\"parley\"");
        exchange.setRouteStop(true);
    }
}
