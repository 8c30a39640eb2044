package parley.processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.voice.AgentAudio;

/**
 * Queues the agent's audio on the call; the playback clock paces it out to Twilio. Audio of an agent turn
 * the caller has since interrupted is dropped here: it was in flight when the turn was cancelled.
 */
@Component
public class PlayToCaller implements Processor {

    /** Header naming the agent turn a line belongs to (see {@link parley.conversation.AgentTurns}). */
    public static final String AGENT_TURN = "agentTurn";

    private final CallRegistry calls;

    public PlayToCaller(CallRegistry calls) {
        this.calls = calls;
    }

    @Override
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        Long turn = exchange.getMessage().getHeader(AGENT_TURN, Long.class);
        if (call != null && call.streaming() && turn != null && call.agentTurns().isCurrent(turn)) {
            call.playback().enqueue(exchange.getMessage().getBody(AgentAudio.class));
        }
    }
}
