package parley.processors;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.records.ApiAccess;

/**
 * The records API answers only a request {@link ApiAccess} admits (a tool's token, or an operator's session
 * from {@link LogIn}); any other gets 401 and the route stops.
 */
@Component
public class CheckApiAccess implements Processor {

    private final ApiAccess access;

    public CheckApiAccess(ApiAccess access) {
        this.access = access;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        if (access.admits(message.getHeader("Authorization", String.class), message.getHeader("Cookie", String.class))) {
            return;
        }
        WriteJson.error(message, 401, "an API token (Authorization: Bearer <parley.records.api-token>) or an"
                + " operator's session (POST /api/login) is required");
        message.setHeader("WWW-Authenticate", "Bearer realm=\"parley\"");
        exchange.setRouteStop(true);
    }
}
