package parley.stt;

import org.apache.camel.Endpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.call.CallEvent;
import parley.call.CallEvents;
import parley.call.CallSession;

/** Hands a call's transcripts to the {@code direct:transcript} route, on the call's lane. */
public final class CallTranscripts implements TranscriptListener {

    public static final String ROUTE = "direct:transcript";
    private static final Logger LOG = LoggerFactory.getLogger(CallTranscripts.class);

    private final CallSession call;
    private final CallEvents events;
    private final Endpoint route;

    public CallTranscripts(CallSession call, CallEvents events, Endpoint route) {
        this.call = call;
        this.events = events;
        this.route = route;
    }

    @Override
    public void onTranscript(Transcript transcript) {
        events.send(call, route, transcript);
    }

    @Override
    public void onSpeechStarted(double atSeconds) {
        LOG.debug("Call {}: the recognizer heard speech start at {} s", call.callId(), atSeconds);
    }

    @Override
    public void onUtteranceEnd(double lastWordEndSeconds) {
        LOG.debug("Call {}: the recognizer's utterance ended at {} s", call.callId(), lastWordEndSeconds);
    }

    @Override
    public void onError(String problem) {
        LOG.warn("Call {}: speech-to-text problem: {}", call.callId(), problem);
        call.log().note(CallEvent.Kind.PROVIDER_ERROR, "speech-to-text: " + problem);
    }
}
