package parley.processors;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.hearing.HearingEvent;
import parley.hearing.TurnDetector;
import parley.hearing.TurnVerdict;

/**
 * The turn model's verdict on a pause, back on the call's lane: turn-taking weighs it with the words. The body
 * becomes what that decided (the turn may end now), or null.
 */
@Component
public class WeighTurnVerdict implements Processor {

    private final CallRegistry calls;

    public WeighTurnVerdict(CallRegistry calls) {
        this.calls = calls;
    }

    @Override
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        if (call == null || call.hearing() == null) {
            exchange.getMessage().setBody(null);
            return;
        }
        TurnVerdict verdict = exchange.getMessage().getBody(TurnVerdict.class);
        TurnDetector turns = call.hearing().turns();
        if (turns.awaitsVerdict(verdict.stoppedAtMs())) {
            call.hearing().timer().verdict();
        }
        List<HearingEvent> decided = turns.onVerdict(verdict.stoppedAtMs(), verdict.complete());
        exchange.getMessage().setBody(decided.isEmpty() ? null : decided);
    }
}
