package parley.processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.call.CallRegistry;
import parley.call.CallSession;

/** The caller talks again: an answer begun at their pause was for words they are now adding to. */
@Component
public class DropEarlyAnswer implements Processor {

    private final CallRegistry calls;

    public DropEarlyAnswer(CallRegistry calls) {
        this.calls = calls;
    }

    @Override
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        if (call != null) {
            call.earlyAnswer(null);
        }
    }
}
