package parley.processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import parley.call.AgentPlayback;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.telephony.CallTransfer;
import parley.telephony.FrameProblem;
import parley.telephony.FrameRejections;
import parley.telephony.StreamEvent;

/** A mark came back: the caller has heard the agent's audio up to it (unless it is the echo of a clear). */
@Component
public class ConfirmPlayback implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ConfirmPlayback.class);

    private final CallRegistry calls;
    private final CallTransfer transfers;
    private final FrameRejections rejections;

    public ConfirmPlayback(CallRegistry calls, CallTransfer transfers, FrameRejections rejections) {
        this.calls = calls;
        this.transfers = transfers;
        this.rejections = rejections;
    }

    /** The agent's last line has been heard: the call goes to a person, or ends. */
    private void finish(CallSession call) {
        String number = call.transferTo();
        if (number == null) {
            calls.hangUp(call, call.endingBecause());
            return;
        }
        // Twilio's answer arrives on an HTTP client thread; the call is ended (and its record taken) on its lane.
        transfers.transfer(call.stream().callSid(), number).whenComplete((status, failure) -> call.lane().force(() -> {
            if (failure == null) {
                LOG.info("Call {}: transferred to {}", call.callId(), number);
                calls.end(call, "transferred to " + number);
            } else {
                LOG.error("Call {}: the transfer to {} failed ({}); ending the call", call.callId(), number,
                        failure.getMessage());
                calls.hangUp(call, "the transfer failed");
            }
        }));
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
                AgentPlayback.Heard played = call.playback().lastHeard();
                long nowMs = call.log().nowMs();
                call.history().agentSaid(played.text(), nowMs - played.durationMs(), nowMs);
                if (call.ending() && !call.playback().isSpeaking()) {
                    finish(call);
                }
            }
            case UNKNOWN -> rejections.reject(call, call.connectionKey(), FrameProblem.UNKNOWN_MARK, "mark '" + name + "'");
            default -> {
            }
        }
    }
}
