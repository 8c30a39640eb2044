package parley.processors;

import java.time.Clock;
import java.time.LocalDate;

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
import parley.hearing.HearingEvent;

/**
 * The caller ended their turn: the script decides where the call goes. The agent says the next state's line,
 * or asks again when the answer did not move the call on; a state with an outcome records it (and books the
 * meeting when that is its action), and its line is the agent's last.
 */
@Component
public class FollowScript implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(FollowScript.class);

    private final CallRegistry calls;
    private final SalesScript script;
    private final OfflinePolicy policy;
    private final Clock clock;

    public FollowScript(CallRegistry calls, SalesScript script, OfflinePolicy policy, Clock clock) {
        this.calls = calls;
        this.script = script;
        this.policy = policy;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        if (call == null || call.scriptState() == null || call.hangsUpAfterSpeaking()) {
            exchange.setRouteStop(true);
            return;
        }
        String said = exchange.getMessage().getBody(HearingEvent.TurnEnded.class).transcript();
        String from = call.scriptState();
        OfflinePolicy.Decision decision = policy.decide(from, said, call.slots(), LocalDate.now(clock));
        call.slots(decision.slots());
        SalesScript.State next = script.states().get(decision.state());
        boolean moved = !decision.state().equals(from);
        LOG.info("Call {}: \"{}\" in {} -> {} ({})", call.callId(), said, from, decision.state(), decision.reason());
        call.scriptState(decision.state());
        if (next.terminal()) {
            if (next.action() == SalesScript.Action.BOOK_MEETING) {
                call.bookMeeting(call.slots());
            }
            call.conclude(next.outcome());
        }
        exchange.getMessage().setBody(new AgentLine(moved ? next.say().get(0) : next.askAgain()));
        exchange.getMessage().setHeader(SpeakLine.AGENT_TURN, call.agentTurns().begin());
    }
}
