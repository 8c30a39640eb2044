package parley.processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.hearing.CallerHearing;
import parley.hearing.SileroVad;
import parley.hearing.TurnDetector;
import parley.call.CallEvents;
import parley.stt.CallTranscripts;
import parley.stt.SpeechToText;
import parley.telephony.StreamEvent;

/** Twilio's start event: the session learns its call and can speak from now on. */
@Component
public class StartCall implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(StartCall.class);

    private final CallRegistry calls;
    private final SileroVad vad;
    private final TurnDetector.Settings turnTaking;
    private final SpeechToText speechToText;
    private final CallEvents events;

    public StartCall(CallRegistry calls, SileroVad vad, TurnDetector.Settings turnTaking, SpeechToText speechToText,
                     CallEvents events) {
        this.calls = calls;
        this.vad = vad;
        this.turnTaking = turnTaking;
        this.speechToText = speechToText;
        this.events = events;
    }

    @Override
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        StreamEvent.Started started = exchange.getMessage().getBody(StreamEvent.Started.class);
        if (call == null || call.stream() != null) {
            LOG.warn("Ignored a start event for stream {}: {}", started.streamSid(),
                    call == null ? "the socket has closed" : "the stream had already started");
            exchange.setRouteStop(true);
            return;
        }
        call.start(started, CallerHearing.start(vad, turnTaking));
        call.listenWith(speechToText.open(started.callSid(), started.customParameters(),
                new CallTranscripts(call, events)));
        LOG.info("Call {} started (stream {}, socket {}, parameters {})", started.callSid(), started.streamSid(),
                call.connectionKey(), started.customParameters());
    }
}
