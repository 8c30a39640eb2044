package parley.telephony;

import java.util.Map;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.TreeMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;


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

    /**
     * Twilio's signature of a request: base64(HMAC-SHA1(auth token, URL + the POST parameters sorted by name,
     * each name followed by its value)). Parley checks it on what Twilio sends; the simulator signs with it
     * what it sends in Twilio's place.
     */
    public static String sign(String authToken, String url, Map<String, String> form) {
        StringBuilder signed = new StringBuilder(url);
        new TreeMap<>(form).forEach((name, value) -> signed.append(name).append(value));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(signed.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK provides HmacSHA1", e);
        }
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
