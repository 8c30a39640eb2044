package parley.processors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.telephony.StreamEvent;

/** Takes in a chunk of the caller's audio, accounting for chunks Twilio never delivered. */
@Component
public class HearCallerAudio implements Processor {

    private final CallRegistry calls;
    private final Counter missingFrames;

    public HearCallerAudio(CallRegistry calls, MeterRegistry meters) {
        this.calls = calls;
        this.missingFrames = Counter.builder("parley.media.frames.missing")
                .description("Caller audio frames lost before reaching Parley (gaps in Twilio's chunk numbers)")
                .register(meters);
    }

    @Override
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        if (call == null) {
            exchange.setRouteStop(true);
            return;
        }
        long missing = call.hearFrame(exchange.getMessage().getBody(StreamEvent.CallerAudio.class));
        if (missing > 0) {
            missingFrames.increment(missing);
        }
    }
}
