package parley.processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import parley.call.CallEvent;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.conversation.AgentLine;
import parley.conversation.SalesScript;
import parley.conversation.ScriptLines;
import parley.hearing.HearingEvent;

/**
 * The caller has said nothing for the script's silence: the first time, the agent checks in ("Are you still
 * there?") and the call stays where it was; the second time in a row, it says its closing line and the call ends
 * with the outcome NO_RESPONSE once that has been heard.
 */
@Component
public class BreakSilence implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(BreakSilence.class);

    private final CallRegistry calls;
    private final SalesScript.Silence silence;

    public BreakSilence(CallRegistry calls, SalesScript script) {
        this.calls = calls;
        this.silence = script.silence();
    }

    @Override
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        HearingEvent.CallerSilent silent = exchange.getMessage().getBody(HearingEvent.CallerSilent.class);
        if (call == null || call.ending()) {
            exchange.setRouteStop(true);
            return;
        }
        String line;
        if (silent.silences() == 1) {
            line = silence.checkIn();
        } else {
            line = silence.close();
            call.conclude(SalesScript.Outcome.NO_RESPONSE);
        }
        LOG.info("Call {}: no answer for {} s in {} ({} in a row): \"{}\"", call.callId(), silence.after().toSeconds(),
                call.scriptState(), silent.silences(), line);
        call.log().note(CallEvent.Kind.CALLER_SILENT, silent.silences() == 1 ? "the agent checked in"
                : "the agent ended the call after a second silence");
        exchange.getMessage().setBody(new AgentLine(ScriptLines.forCall(line, call.parameters())));
        exchange.getMessage().setHeader(SpeakLine.AGENT_TURN, call.agentTurns().begin());
    }
}
