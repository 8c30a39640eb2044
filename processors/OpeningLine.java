package parley.processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.conversation.AgentLine;
import parley.conversation.SalesScript;
import parley.conversation.ScriptLines;

/** The script's greeting, as the agent's first line on a call. */
@Component
public class OpeningLine implements Processor {

    private final SalesScript script;
    private final CallRegistry calls;

    public OpeningLine(SalesScript script, CallRegistry calls) {
        this.script = script;
        this.calls = calls;
    }

    @Override
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        call.scriptState(script.start());
        exchange.getMessage().setBody(new AgentLine(ScriptLines.forCall(script.openingLine(), call.parameters())));
        exchange.getMessage().setHeader(SpeakLine.AGENT_TURN, call.agentTurns().begin());
    }
}
