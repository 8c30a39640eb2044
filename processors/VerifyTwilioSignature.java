package parley.processors;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.config.ParleyProperties;
import parley.telephony.TwilioSignatures;

/** Answers 403 and stops the route when a webhook's X-Twilio-Signature does not match. */
@Component
public class VerifyTwilioSignature implements Processor {

    private final TwilioSignatures signatures;
    private final ParleyProperties properties;

    public VerifyTwilioSignature(TwilioSignatures signatures, ParleyProperties properties) {
        this.signatures = signatures;
        this.properties = properties;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        String query = message.getHeader(Exchange.HTTP_QUERY, String.class);
        String url = properties.webhookUrl(message.getHeader(Exchange.HTTP_PATH, String.class))
                + (query == null || query.isEmpty() ? "" : "?" + query);
        if (signatures.valid(url, formParameters(message), message.getHeader(TwilioSignatures.HEADER, String.class))) {
            return;
        }
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 403);
        message.setHeader(Exchange.CONTENT_TYPE, "text/plain");
        message.setBody("Invalid Twilio signature");
        exchange.setRouteStop(true);
    }

    /** Twilio posts form fields; platform-http hands them over as a map body. */
    static Map<String, String> formParameters(Message message) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (message.getBody() instanceof Map<?, ?> form) {
            form.forEach((name, value) -> parameters.put(String.valueOf(name), String.valueOf(value)));
        }
        return parameters;
    }
}
