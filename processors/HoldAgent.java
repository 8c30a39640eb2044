package parley.processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.call.CallRegistry;
import parley.call.CallSession;

/**
 * The caller is making sound over the agent: the agent sends Twilio nothing more until it is known whether
 * they are taking the turn. No {@code clear}: if it was only "uh-huh", the agent goes on from the same sample.
 */
@Component
public class HoldAgent implements Processor {

    private final CallRegistry calls;

    public HoldAgent(CallRegistry calls) {
        this.calls = calls;
    }

    @Override
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        if (call != null) {
            call.playback().hold();
        }
    }
}
