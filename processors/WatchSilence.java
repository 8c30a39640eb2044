package parley.processors;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.conversation.SalesScript;
import parley.hearing.HearingEvent;
import parley.hearing.TurnDetector;

/**
 * Times the silence on each of the caller's frames (see {@link parley.hearing.SilenceWatch}): once nobody has
 * spoken for the script's {@code silence.after}, a {@link HearingEvent.CallerSilent} joins what hearing decided on
 * the frame. A script with no {@code silence} waits for the caller as long as the call lasts.
 */
@Component
public class WatchSilence implements Processor {

    private final CallRegistry calls;
    /** The script's silence in ms, or 0 when it sets none. */
    private final long silenceMs;

    public WatchSilence(CallRegistry calls, SalesScript script) {
        this.calls = calls;
        this.silenceMs = script.silence() == null ? 0 : script.silence().after().toMillis();
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        if (silenceMs == 0 || call == null || call.hearing() == null || call.playback() == null) {
            return;
        }
        TurnDetector turns = call.hearing().turns();
        boolean quiet = call.scriptState() != null && !call.ending() && !call.playback().isSpeaking()
                && !turns.turnUnderWay();
        long heardMs = call.callerAudioMs();
        int silences = call.silence().onFrame(heardMs, quiet, turns.callerSpeaking(), silenceMs);
        if (silences > 0) {
            List<HearingEvent> decided = exchange.getMessage().getBody(List.class);
            List<HearingEvent> events = decided == null ? new ArrayList<>(1) : new ArrayList<>(decided);
            events.add(new HearingEvent.CallerSilent(heardMs, silences));
            exchange.getMessage().setBody(events);
        }
    }
}
