package parley.processors;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.conversation.AgentLine;
import parley.conversation.SalesScript;

/**
 * The caller ended their turn: the agent answers with the line of the script's next state, in the order the
 * script lists them. When the script has nothing more to say, the route stops.
 */
@Component
public class NextScriptedLine implements Processor {

    private final CallRegistry calls;
    private final List<SalesScript.State> states;

    public NextScriptedLine(CallRegistry calls, SalesScript script) {
        this.calls = calls;
        this.states = new ArrayList<>(script.states().values());
    }

    @Override
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        int next = call == null ? states.size() : call.scriptStep() + 1;
        if (next >= states.size()) {
            exchange.setRouteStop(true);
            return;
        }
        call.scriptStep(next);
        exchange.getMessage().setBody(new AgentLine(states.get(next).say().get(0)));
        exchange.getMessage().setHeader(SpeakLine.AGENT_TURN, call.agentTurns().begin());
    }
}
