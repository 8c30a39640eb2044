package parley.processors;

import org.apache.camel.Endpoint;
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
import parley.telephony.FrameProblem;
import parley.telephony.FrameRejections;
import parley.telephony.StreamEvent;
import parley.telephony.StreamTickets;

/** Twilio's start event: the session learns its call and can speak from now on. */
@Component
public class StartCall implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(StartCall.class);

    private final CallRegistry calls;
    private final SileroVad vad;
    private final TurnDetector.Settings turnTaking;
    private final SpeechToText speechToText;
    private final CallEvents events;
    private final Endpoint transcripts;
    private final FrameRejections rejections;
    private final StreamTickets tickets;

    public StartCall(CallRegistry calls, SileroVad vad, TurnDetector.Settings turnTaking, SpeechToText speechToText,
                     CallEvents events, FrameRejections rejections, StreamTickets tickets) {
        this.calls = calls;
        this.vad = vad;
        this.turnTaking = turnTaking;
        this.speechToText = speechToText;
        this.events = events;
        this.transcripts = events.to(CallTranscripts.ROUTE);
        this.rejections = rejections;
        this.tickets = tickets;
    }

    @Override
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        StreamEvent.Started started = exchange.getMessage().getBody(StreamEvent.Started.class);
        if (call == null) {
            exchange.setRouteStop(true);
            return;
        }
        if (call.stream() != null) {
            rejections.reject(call, call.connectionKey(), FrameProblem.DUPLICATE_START,
                    "stream " + started.streamSid() + " had already started");
            exchange.setRouteStop(true);
            return;
        }
        String refused = tickets.redeem(started.callSid(), started.customParameters().get(StreamTickets.PARAMETER));
        if (refused != null) {
            LOG.warn("Refused stream {} of call {} from socket {}: {}", started.streamSid(), started.callSid(),
                    call.connectionKey(), refused);
            calls.hangUp(call, "refused: " + refused);
            exchange.setRouteStop(true);
            return;
        }
        call.start(started, CallerHearing.start(vad, turnTaking));
        call.listenWith(speechToText.open(started.callSid(), started.customParameters(),
                new CallTranscripts(call, events, transcripts)));
        call.log().servedBy("recognizer", speechToText.name());
        LOG.info("Call {} started (stream {}, socket {}, parameters {})", started.callSid(), started.streamSid(),
                call.connectionKey(), started.customParameters());
    }
}
