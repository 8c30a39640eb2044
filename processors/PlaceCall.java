package parley.processors;

import java.time.Duration;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import parley.outbound.DialQueue;
import parley.outbound.Dialer;

/**
 * Dials a claimed attempt through Twilio (or, with no Twilio account, the simulated phone network). Placed, the attempt waits for the call's status; refused, it ends
 * with the reason; not now, it is put off and claimed again later. Whatever fails here, the attempt never
 * stays claimed and undialed.
 */
@Component
public class PlaceCall implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(PlaceCall.class);

    private final DialQueue queue;
    private final Dialer dialer;

    public PlaceCall(DialQueue queue, Dialer dialer) {
        this.queue = queue;
        this.dialer = dialer;
    }

    @Override
    public void process(Exchange exchange) {
        DialQueue.Claimed dial = exchange.getMessage().getBody(DialQueue.Claimed.class);
        Dialer.Result result;
        try {
            result = dialer.place(dial);
        } catch (RuntimeException e) {
            result = new Dialer.Result.Later(Duration.ofMinutes(1), "dialing failed: " + e);
        }
        if (result instanceof Dialer.Result.Placed placed) {
            queue.placed(dial.attemptId(), placed.callSid());
            LOG.info("Dialing lead {} ({}), attempt {}: call {}", dial.leadId(), dial.campaign(), dial.attemptNumber(),
                    placed.callSid());
        } else if (result instanceof Dialer.Result.Refused refused) {
            queue.end(dial.attemptId(), refused.outcome(), refused.detail());
            LOG.warn("Lead {} ({}) cannot be dialed: {} ({})", dial.leadId(), dial.campaign(), refused.outcome(),
                    refused.detail());
        } else if (result instanceof Dialer.Result.Later later) {
            queue.putOff(dial.attemptId(), later.after(), later.why());
            LOG.warn("Lead {} ({}) is dialed again in {}: {}", dial.leadId(), dial.campaign(), later.after(),
                    later.why());
        }
    }
}
