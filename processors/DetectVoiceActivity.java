package parley.processors;

import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.call.AgentPlayback;
import parley.call.CallEvents;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.hearing.CallerEar;
import parley.hearing.HearingEvent;
import parley.hearing.SileroVad;
import parley.hearing.TurnDetector;
import parley.hearing.VadBatcher;
import parley.hearing.VoiceActivity;
import parley.telephony.StreamEvent;

/**
 * Cuts the caller's audio into voice-activity windows and sends them to the batched detector; each score
 * comes back on the call's lane into {@code direct:voice-activity}. The frame itself goes through turn-taking
 * at once (its loudness carries confirmed speech on, see {@link parley.hearing.TurnDetector#onFrame}); the
 * body becomes what that decided, or null when it decided nothing, as for nearly every frame.
 */
@Component
public class DetectVoiceActivity implements Processor {

    public static final String SCORED = "direct:voice-activity";

    private final CallRegistry calls;
    private final VadBatcher batcher;
    private final CallEvents events;
    private final Endpoint scored;
    private final Counter droppedWindows;
    private final long echoMaxDelayMs;

    public DetectVoiceActivity(CallRegistry calls, VadBatcher batcher, CallEvents events, MeterRegistry meters,
                               TurnDetector.Settings turnTaking) {
        this.calls = calls;
        this.echoMaxDelayMs = turnTaking.echoMaxDelayMs();
        this.batcher = batcher;
        this.events = events;
        this.scored = events.to(SCORED);
        this.droppedWindows = Counter.builder("parley.vad.windows.dropped")
                .description("Voice-activity windows dropped because their call had too many waiting to be scored")
                .register(meters);
    }

    @Override
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        if (call == null) {
            exchange.getMessage().setBody(null);
            return;
        }
        StreamEvent.CallerAudio audio = exchange.getMessage().getBody(StreamEvent.CallerAudio.class);
        CallerEar ear = call.hearing().ear();
        // Twilio stamps each chunk; without a stamp the call's own count of audio received stands in.
        long startMs = audio.timestampMs() >= 0 ? audio.timestampMs() : call.callerAudioMs() - audio.payload().length / 8;
        float energyDb = ear.hear(audio.payload(), startMs, window -> {
            long windowStart = ear.windowStartMs();
            long windowEnd = windowStart + SileroVad.WINDOW / 8;
            float windowEnergyDb = ear.windowEnergyDb();
            boolean queued = batcher.submit(ear.vad(), window, probability ->
                    events.send(call, scored, new VoiceActivity(windowStart, windowEnd, probability, windowEnergyDb)));
            if (!queued) {
                droppedWindows.increment();
            }
        });
        long endMs = startMs + audio.payload().length / 8;
        AgentPlayback playback = call.playback();
        List<HearingEvent> decided = call.hearing().turns().onFrame(startMs, endMs, energyDb, playback.isSpeaking(),
                playback.loudestRecentDb(echoMaxDelayMs));
        exchange.getMessage().setBody(decided.isEmpty() ? null : decided);
    }
}
