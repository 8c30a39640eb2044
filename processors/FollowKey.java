package parley.processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.conversation.AgentLine;
import parley.conversation.SalesScript;
import parley.conversation.ScriptMoves;
import parley.telephony.StreamEvent;

/**
 * A key the caller pressed takes the script's transition for it, at once: the agent stops whatever it was
 * saying and says the new state's line. A key the current state does not know is kept with the call only.
 */
@Component
public class FollowKey implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(FollowKey.class);

    private final CallRegistry calls;
    private final SalesScript script;

    public FollowKey(CallRegistry calls, SalesScript script) {
        this.calls = calls;
        this.script = script;
    }

    @Override
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        String digit = exchange.getMessage().getBody(StreamEvent.DigitPressed.class).digit();
        SalesScript.Transition transition = call == null || call.scriptState() == null || call.ending()
                ? null : script.onKey(call.scriptState(), digit).orElse(null);
        if (transition == null) {
            exchange.setRouteStop(true);
            return;
        }
        LOG.info("Call {}: key {} in {} -> {}", call.callId(), digit, call.scriptState(), transition.to());
        call.stopAgent();
        // The caller chose where the call goes: the cut line is not offered again.
        call.lastCut(null);
        String line = ScriptMoves.advance(call, script, transition.to(), call.slots());
        exchange.getMessage().setBody(new AgentLine(line));
        exchange.getMessage().setHeader(SpeakLine.AGENT_TURN, call.agentTurns().begin());
    }
}
