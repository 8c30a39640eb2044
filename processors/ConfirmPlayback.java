package parley.processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import parley.call.AgentPlayback;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.telephony.StreamEvent;

/** A mark came back: the caller has heard the agent's audio up to it (unless it is the echo of a clear). */
@Component
public class ConfirmPlayback implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ConfirmPlayback.class);

    private final CallRegistry calls;

    public ConfirmPlayback(CallRegistry calls) {
        this.calls = calls;
    }

    @Override
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        if (call == null || call.playback() == null) {
            return;
        }
        String name = exchange.getMessage().getBody(StreamEvent.MarkReached.class).name();
        AgentPlayback.MarkOutcome outcome = call.playback().markReached(name);
        switch (outcome) {
            case UTTERANCE_PLAYED -> {
                call.history().agentSaid(call.playback().lastHeard().text());
                if (call.hangsUpAfterSpeaking() && !call.playback().isSpeaking()) {
                    calls.hangUp(call, "the script ended the call: " + call.outcome());
                }
            }
            case UNKNOWN -> LOG.warn("Call {}: Twilio echoed mark '{}', which Parley never sent", call.callId(), name);
            default -> {
            }
        }
    }
}
