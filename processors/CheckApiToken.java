package parley.processors;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.config.ParleyProperties;

/**
 * The records API answers only a request carrying {@code Authorization: Bearer <parley.records.api-token>}; any
 * other gets 401 and the route stops. With no token set, every request gets 401: records are not public.
 */
@Component
public class CheckApiToken implements Processor {

    private final byte[] expected;

    public CheckApiToken(ParleyProperties properties) {
        String token = properties.records().apiToken();
        this.expected = token.isEmpty() ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
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
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 401);
        message.setHeader("WWW-Authenticate", "Bearer realm=\"parley\"");
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody("{\"error\": \"an API token is required: Authorization: Bearer <parley.records.api-token>\"}");
        exchange.setRouteStop(true);
    }
}
