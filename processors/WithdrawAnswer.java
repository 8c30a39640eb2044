package parley.processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.hearing.HearingEvent;

/**
 * The caller went on right after their turn seemed to end: the answer begun for it is withdrawn before they
 * hear it (see {@link CallSession#withdrawAnswer()}), and the turn is answered once it really ends.
 */
@Component
public class WithdrawAnswer implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(WithdrawAnswer.class);

    private final CallRegistry calls;

    public WithdrawAnswer(CallRegistry calls) {
        this.calls = calls;
    }

    @Override
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        if (call == null) {
            return;
        }
        HearingEvent.CallerWentOn wentOn = exchange.getMessage().getBody(HearingEvent.CallerWentOn.class);
        LOG.info("Call {}: the caller went on at {} ms; the answer to their turn is withdrawn", call.callId(),
                wentOn.atMs());
        call.withdrawAnswer();
    }
}
