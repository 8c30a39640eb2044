package parley.processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.telephony.StreamEvent;

/** Streams the caller's audio to the recognizer as Twilio sent it: mu-law 8 kHz, no transcoding, no waiting. */
@Component
public class TranscribeCallerAudio implements Processor {

    private final CallRegistry calls;

    public TranscribeCallerAudio(CallRegistry calls) {
        this.calls = calls;
    }

    @Override
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        if (call != null && call.recognition() != null) {
            call.recognition().sendAudio(exchange.getMessage().getBody(StreamEvent.CallerAudio.class).payload());
        }
    }
}
