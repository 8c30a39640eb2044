package parley.processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.voice.AgentAudio;

/** Queues the agent's audio on the call; the playback clock paces it out to Twilio. */
@Component
public class PlayToCaller implements Processor {

    private final CallRegistry calls;

    public PlayToCaller(CallRegistry calls) {
        this.calls = calls;
    }

    @Override
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        if (call != null && call.streaming()) {
            call.playback().enqueue(exchange.getMessage().getBody(AgentAudio.class));
        }
    }
}
