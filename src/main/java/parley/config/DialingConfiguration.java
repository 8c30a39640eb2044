package parley.config;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import parley.outbound.Dialer;
import parley.outbound.TwilioDialer;
import parley.simulator.SimulatedPhoneNetwork;

/**
 * Who places Parley's outbound calls: Twilio, given an account (parley.twilio.account-sid and auth-token), else
 * the simulated phone network, so that outbound calling runs end to end with no account and no network.
 */
@Configuration(proxyBeanMethods = false)
public class DialingConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(DialingConfiguration.class);

    @Bean
    Dialer dialer(ParleyProperties properties, Clock clock) {
        ParleyProperties.Twilio twilio = properties.twilio();
        if (!twilio.accountSid().isBlank() && !twilio.authToken().isBlank()) {
            return new TwilioDialer(properties);
        }
        if (properties.outbound().enabled()) {
            LOG.warn("No Twilio account (parley.twilio.account-sid, auth-token): outbound calls go to the simulated"
                    + " phone network, not to real phones");
        }
        return new SimulatedPhoneNetwork(properties, clock);
    }
}
