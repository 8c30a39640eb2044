package parley.telephony;

import java.util.Map;

import com.twilio.security.RequestValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import parley.config.ParleyProperties;

/**
 * Checks {@code X-Twilio-Signature} on webhooks and on the media socket's handshake. Without an auth token
 * nothing can be checked, and Parley says so loudly.
 */
@Component
public class TwilioSignatures {

    public static final String HEADER = "X-Twilio-Signature";
    private static final Logger LOG = LoggerFactory.getLogger(TwilioSignatures.class);

    private final RequestValidator validator;

    public TwilioSignatures(ParleyProperties properties) {
        this.validator = properties.twilio().signaturesRequired()
                ? new RequestValidator(properties.twilio().authToken()) : null;
    }

    public boolean required() {
        return validator != null;
    }

    /** True when no token is configured, or when the signature matches the URL and the POST parameters. */
    public boolean valid(String url, Map<String, String> parameters, String signature) {
        if (validator == null) {
            return true;
        }
        return signature != null && validator.validate(url, parameters, signature);
    }

    @EventListener(ApplicationReadyEvent.class)
    void warnWhenOpen() {
        if (validator == null) {
            LOG.warn("""

                    ************************************************************************
                    *  parley.twilio.auth-token is not set: Twilio signatures are NOT       *
                    *  checked. Anyone who can reach this port can place calls into Parley. *
                    *  Set TWILIO_AUTH_TOKEN before exposing it to the internet.            *
                    ************************************************************************""");
        }
    }
}
