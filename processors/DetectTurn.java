package parley.processors;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import parley.call.AgentPlayback;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.hearing.HearingEvent;
import parley.hearing.VoiceActivity;

/**
 * Runs a scored window through the call's turn-taking; the body becomes the list of what it decided, or
 * null when it decided nothing (most windows): the caller started or stopped, interrupted the agent, or
 * ended their turn.
 */
@Component
public class DetectTurn implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(DetectTurn.class);

    private final CallRegistry calls;

    public DetectTurn(CallRegistry calls) {
        this.calls = calls;
    }

    @Override
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        if (call == null) {
            exchange.getMessage().setBody(null);
            return;
        }
        VoiceActivity window = exchange.getMessage().getBody(VoiceActivity.class);
        AgentPlayback playback = call.playback();
        List<HearingEvent> events = call.hearing().turns().onWindow(window, playback.isSpeaking());
        for (HearingEvent event : events) {
            LOG.debug("Call {}: {}", call.callId(), event);
            if (event instanceof HearingEvent.CallerStoppedSpeaking stopped) {
                // The audio received so far marks now in stream time: scoring the window took some of it.
                call.hearing().timer().stopped(call.callerAudioMs() - stopped.atMs());
            }
        }
        exchange.getMessage().setBody(events.isEmpty() ? null : events);
    }
}
