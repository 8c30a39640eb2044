package parley.processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.conversation.AgentLine;
import parley.conversation.SalesScript;
import parley.conversation.ScriptLines;

/**
 * An answering machine has beeped: whatever the agent was saying to its greeting stops, and the script's
 * voicemail line is left; the call ends once it has played. A script without one hangs up at once.
 */
@Component
public class LeaveVoicemail implements Processor {

    private final CallRegistry calls;
    private final SalesScript script;

    public LeaveVoicemail(CallRegistry calls, SalesScript script) {
        this.calls = calls;
        this.script = script;
    }

    @Override
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        if (call == null || !call.streaming()) {
            exchange.setRouteStop(true);
            return;
        }
        call.stopAgent();
        call.lastCut(null);
        if (script.voicemail() == null) {
            calls.hangUp(call, "an answering machine, and the script leaves no voicemail");
            exchange.setRouteStop(true);
            return;
        }
        call.endAfterSpeaking();
        exchange.getMessage().setBody(new AgentLine(ScriptLines.forCall(script.voicemail(), call.parameters())));
        exchange.getMessage().setHeader(SpeakLine.AGENT_TURN, call.agentTurns().begin());
    }
}
