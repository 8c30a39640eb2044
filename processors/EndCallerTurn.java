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
 * The caller's turn is over: what they said goes into the history, the line the agent was cut off in is not
 * offered again (the caller took the turn), and the turn's timing so far travels with it to the answer.
 */
@Component
public class EndCallerTurn implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(EndCallerTurn.class);

    /** The turn's {@link parley.hearing.TurnTiming}, completed when the answer's first audio goes out. */
    public static final String TIMING = "turnTiming";

    private final CallRegistry calls;

    public EndCallerTurn(CallRegistry calls) {
        this.calls = calls;
    }

    @Override
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        if (call == null || call.hearing() == null) {
            exchange.setRouteStop(true);
            return;
        }
        HearingEvent.TurnEnded ended = exchange.getMessage().getBody(HearingEvent.TurnEnded.class);
        LOG.info("Call {}: the caller's turn ended after {} ms of silence ({}): \"{}\"", call.callId(),
                ended.silenceWaitedMs(), ended.reason(), ended.transcript());
        exchange.setProperty(TIMING, call.hearing().timer().decided());
        call.lastCut(null);
        call.keepScriptPosition();
        if (!ended.transcript().isEmpty()) {
            call.history().callerSaid(ended.transcript(), ended.speechStartMs(),
                    ended.atMs() - ended.silenceWaitedMs());
        }
    }
}
