package parley.processors;

import java.net.URI;
import java.util.Locale;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * What changes an operator's session (logging in, logging out) is taken only from Parley's own pages: a JSON
 * body, which a page on another site cannot send without the browser asking Parley first (and Parley allows
 * no other site), and, when the browser names the page's origin, that origin being Parley's own host. With the
 * session cookie's {@code SameSite=Strict}, a forged request from another site changes nothing.
 */
@Component
public class RefuseCrossSiteRequest implements Processor {

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        String type = message.getHeader(Exchange.CONTENT_TYPE, String.class);
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            refuse(exchange, 415, "this request takes a JSON body (Content-Type: application/json)");
            return;
        }
        // The URL the request was made to, as its Host header named it: the address the operator's page is on.
        String origin = message.getHeader("Origin", String.class);
        String host = authority(message.getHeader(Exchange.HTTP_URL, String.class));
        if (origin != null && (host == null || !host.equalsIgnoreCase(authority(origin)))) {
            refuse(exchange, 403, "this request is taken only from Parley's own pages");
        }
    }

    private static String authority(String url) {
        try {
            return url == null ? null : URI.create(url).getRawAuthority();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void refuse(Exchange exchange, int status, String why) {
        WriteJson.error(exchange.getMessage(), status, why);
        exchange.setRouteStop(true);
    }
}
