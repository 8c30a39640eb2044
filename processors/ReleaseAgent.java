package parley.processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import parley.call.CallEvent;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.hearing.HearingEvent;

/** What the caller said over the agent did not take the turn: the agent goes on from where it held. */
@Component
public class ReleaseAgent implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseAgent.class);

    private final CallRegistry calls;

    public ReleaseAgent(CallRegistry calls) {
        this.calls = calls;
    }

    @Override
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        if (call == null) {
            return;
        }
        HearingEvent.OverlapPassed passed = exchange.getMessage().getBody(HearingEvent.OverlapPassed.class);
        LOG.debug("Call {}: the caller's \"{}\" over the agent did not take the turn; the agent goes on",
                call.callId(), passed.heard());
        call.log().note(CallEvent.Kind.FALSE_INTERRUPTION,
                passed.heard().isEmpty() ? "no words" : "\"" + passed.heard() + "\"");
        call.playback().release();
    }
}
