package parley.processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.telephony.StreamEvent;

/** Twilio's stop event, or the socket closing: the call ends and its session lets go of everything. */
@Component
public class EndCall implements Processor {

    private final CallRegistry calls;

    public EndCall(CallRegistry calls) {
        this.calls = calls;
    }

    @Override
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        if (call != null) {
            boolean stopped = exchange.getMessage().getBody() instanceof StreamEvent.Stopped;
            calls.end(call, stopped ? "Twilio stopped the stream" : "the socket closed");
        }
    }
}
