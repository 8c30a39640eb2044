package parley.processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import parley.call.AgentPlayback;
import parley.call.CallEvent;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.hearing.HearingEvent;

/**
 * The caller barged in: Twilio drops the agent's buffered audio ({@code clear}), the agent's turn and all its
 * work in flight (speech being rendered, a model's answer being written) are cancelled, and the history
 * keeps the agent's line only as far as the caller heard it.
 */
@Component
public class StopAgent implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(StopAgent.class);

    private final CallRegistry calls;

    public StopAgent(CallRegistry calls) {
        this.calls = calls;
    }

    @Override
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        if (call == null) {
            return;
        }
        HearingEvent.CallerInterrupted interruption = exchange.getMessage().getBody(HearingEvent.CallerInterrupted.class);
        AgentPlayback.Heard cut = call.stopAgent();
        if (cut != null && !cut.complete()) {
            String heard = cut.heardText();
            call.log().note(CallEvent.Kind.BARGE_IN, "heard \"" + heard + "\" of \"" + cut.text() + "\"");
            LOG.info("Call {}: caller interrupted at {} ms (speaking since {} ms); they heard \"{}\" of \"{}\"",
                    call.callId(), interruption.atMs(), interruption.speechStartedAtMs(), heard, cut.text());
        }
    }
}
