package parley.outbound;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.ZoneOffset;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Outbound calling through Twilio: Parley has an account, and its calls go to the stand-in of Twilio's Calls
 * API. Test classes extending this share one Parley and one stand-in.
 */
abstract class TwilioOutboundParley extends OutboundParley {

    static final String ACCOUNT_SID = "ACoutbound0000000000000000000000";
    static final String AUTH_TOKEN = "outbound-test-token";
    static final TwilioCallsStandIn TWILIO = standIn();

    @DynamicPropertySource
    static void twilioAccount(DynamicPropertyRegistry registry) {
        registry.add("parley.outbound.dial-topic", () -> TOPIC);
        registry.add("parley.outbound.group-id", () -> GROUP);
        registry.add("parley.twilio.account-sid", () -> ACCOUNT_SID);
        registry.add("parley.twilio.auth-token", () -> AUTH_TOKEN);
        registry.add("parley.twilio.api-url", () -> TWILIO.url().toString());
    }

    private static TwilioCallsStandIn standIn() {
        try {
            TwilioCallsStandIn standIn = new TwilioCallsStandIn(ACCOUNT_SID, AUTH_TOKEN, Clock.fixed(NOW, ZoneOffset.UTC));
            Runtime.getRuntime().addShutdownHook(new Thread(standIn::close));
            return standIn;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
