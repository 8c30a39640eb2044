package parley.processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.call.CallRegistry;
import parley.call.CallSession;

/**
 * The caller fell silent: the recognizer is asked to finalize what it has now rather than wait for its own
 * endpointing, so the words of the turn arrive as early as they can.
 */
@Component
public class FinalizeTranscript implements Processor {

    private final CallRegistry calls;

    public FinalizeTranscript(CallRegistry calls) {
        this.calls = calls;
    }

    @Override
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        if (call != null && call.recognition() != null) {
            call.recognition().finalizeUtterance();
            call.hearing().words().finalizeAsked(call.callerAudioMs());
            call.hearing().timer().finalizeSent();
        }
    }
}
