package parley.processors;

import java.util.Map;
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import parley.outbound.DialQueue;
import parley.outbound.Dialer;

/**
 * Takes Twilio's call status callbacks: logged, counted by status, answered 204. A call Parley placed that has
 * ended ends its dial attempt, and frees its place in the account's limit.
 */
@Component
public class RecordCallStatus implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(RecordCallStatus.class);

    /** Twilio's documented call statuses: anything else is counted as "other", so a caller cannot mint tags. */
    private static final Set<String> TWILIO_STATUSES = Set.of("queued", "initiated", "ringing", "in-progress",
            "completed", "busy", "failed", "no-answer", "canceled");

    private final MeterRegistry meters;
    private final DialQueue dials;

    public RecordCallStatus(MeterRegistry meters, DialQueue dials) {
        this.meters = meters;
        this.dials = dials;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        Map<String, String> form = VerifyTwilioSignature.formParameters(message);
        String status = form.getOrDefault("CallStatus", "unknown");
        meters.counter("parley.twilio.call.status", "status", TWILIO_STATUSES.contains(status) ? status : "other")
                .increment();
        LOG.info("Call {} is {} (duration {} s)", form.get("CallSid"), status, form.getOrDefault("CallDuration", "-"));
        if (Dialer.ENDED.contains(status) && form.get("CallSid") != null) {
            dials.callEnded(form.get("CallSid"), status);
        }
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
        message.setBody(null);
    }
}
