package parley.processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.config.ParleyProperties;
import parley.conversation.AgentLine;
import parley.conversation.SalesScript;
import parley.conversation.ScriptLines;

/**
 * An answering machine has beeped: whatever the agent was saying to its greeting stops, and the script's
 * voicemail line is left; the call ends once it has played. A script without one, or a campaign that leaves
 * none ({@code parley.outbound.campaigns.<name>.leave-voicemail: false}), hangs up at once.
 */
@Component
public class LeaveVoicemail implements Processor {

    private final CallRegistry calls;
    private final SalesScript script;
    private final ParleyProperties.Outbound outbound;

    public LeaveVoicemail(CallRegistry calls, SalesScript script, ParleyProperties properties) {
        this.calls = calls;
        this.script = script;
        this.outbound = properties.outbound();
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
        if (script.voicemail() == null || !outbound.campaign(call.parameters().get("campaign")).leaveVoicemail()) {
            calls.hangUp(call, "an answering machine, and no voicemail is left on this campaign's calls");
            exchange.setRouteStop(true);
            return;
        }
        call.endAfterSpeaking("a voicemail was left");
        exchange.getMessage().setBody(new AgentLine(ScriptLines.forCall(script.voicemail(), call.parameters())));
        exchange.getMessage().setHeader(SpeakLine.AGENT_TURN, call.agentTurns().begin());
    }
}
