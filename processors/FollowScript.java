package parley.processors;


import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.conversation.AgentLine;
import parley.conversation.OfflinePolicy;
import parley.conversation.SalesScript;
import parley.conversation.ScriptLines;
import parley.conversation.ScriptMoves;
import parley.conversation.TurnRecord;
import parley.hearing.HearingEvent;

/**
 * Answers the caller's turn from the script: the offline policy's reading decides where the call goes, and
 * the agent says that state's line (already voiced, so it plays at once), or asks again.
 */
@Component
public class FollowScript implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(FollowScript.class);

    private final CallRegistry calls;
    private final SalesScript script;

    public FollowScript(CallRegistry calls, SalesScript script) {
        this.calls = calls;
        this.script = script;
    }

    @Override
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        String said = exchange.getMessage().getBody(HearingEvent.TurnEnded.class).transcript();
        OfflinePolicy.Decision decision = exchange.getProperty(RouteTurn.OFFLINE_DECISION, OfflinePolicy.Decision.class);
        String reason = exchange.getMessage().getHeader(RouteTurn.ROUTE_REASON, String.class);
        LOG.info("Call {}: \"{}\" in {} -> {} (scripted: {}; {})", call.callId(), said, call.scriptState(),
                decision.state(), reason, decision.reason());
        int number = call.recordTurn(TurnRecord.scripted(said, reason));
        exchange.setProperty(SpeakLine.ANSWERS_TURN, number);
        SalesScript.NotUnderstood notUnderstood = script.notUnderstood();
        boolean givesUp = !decision.understood() && !notUnderstood.asksAgain(call.stayed())
                && notUnderstood.close() != null;
        String line = ScriptMoves.advance(call, script, decision.state(), decision.slots());
        if (givesUp) {
            LOG.info("Call {}: not understood {} times in {}; closing", call.callId(), call.stayed(), call.scriptState());
            call.conclude(SalesScript.Outcome.NOT_UNDERSTOOD);
            line = ScriptLines.forCall(notUnderstood.close(), call.parameters());
        }
        exchange.getMessage().setBody(new AgentLine(line));
        exchange.getMessage().setHeader(SpeakLine.AGENT_TURN, call.agentTurns().begin());
    }
}
