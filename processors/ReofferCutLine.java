package parley.processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import parley.call.AgentPlayback;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.conversation.AgentLine;
import parley.conversation.HeardText;

/**
 * After a false interruption (a cough, a noise, a lone "uh-huh") the agent does not leave the caller in
 * silence: it says the sentence it was cut in again, from its start, and the rest of its line.
 */
@Component
public class ReofferCutLine implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ReofferCutLine.class);

    private final CallRegistry calls;

    public ReofferCutLine(CallRegistry calls) {
        this.calls = calls;
    }

    @Override
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        AgentPlayback.Heard cut = call == null ? null : call.lastCut();
        if (cut == null || cut.complete()) {
            exchange.setRouteStop(true);
            return;
        }
        call.lastCut(null);
        String heard = cut.heardText();
        String again = HeardText.fromCutSentence(cut.text(), heard);
        LOG.info("Call {}: false interruption; saying again \"{}\"", call.callId(), again);
        exchange.getMessage().setBody(new AgentLine(again));
        exchange.getMessage().setHeader(SpeakLine.AGENT_TURN, call.agentTurns().begin());
    }
}
