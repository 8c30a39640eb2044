package parley.processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.telephony.StreamEvent;

/** A key the caller pressed, kept with the call. */
@Component
public class RecordDigit implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(RecordDigit.class);

    private final CallRegistry calls;

    public RecordDigit(CallRegistry calls) {
        this.calls = calls;
    }

    @Override
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        if (call != null) {
            String digit = exchange.getMessage().getBody(StreamEvent.DigitPressed.class).digit();
            call.pressed(digit);
            LOG.info("Call {}: caller pressed {}", call.callId(), digit);
        }
    }
}
