package parley.call;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;
import parley.hearing.TurnTiming;

/**
 * Everything that watches calls from outside them: the {@link LiveFeed} operators see, and the meters. As
 * meters: each call event by kind ({@code parley.call.events}), and each step of
 * each answered turn, in time after the caller's speech ended ({@code parley.turn.step}, a histogram per step
 * for Prometheus; the instance's own 50th, 95th and 99th percentiles are kept too, for its snapshot). Meters
 * are made once here, so a call event or a turn costs a counter's or a timer's update and no lookup.
 */
@Component
public class CallWatch {

    private final Map<CallEvent.Kind, Counter> events = new EnumMap<>(CallEvent.Kind.class);
    private final Timer stopDetected;
    private final Timer finalizeSent;
    private final Timer finalWords;
    private final Timer verdict;
    private final Timer decided;
    private final Timer firstToken;
    private final Timer firstVoiceByte;
    private final Timer firstAudio;

    private final LiveFeed live;

    public CallWatch(MeterRegistry meters, LiveFeed live) {
        this.live = live;
        for (CallEvent.Kind kind : CallEvent.Kind.values()) {
            events.put(kind, Counter.builder("parley.call.events").tag("kind", kind.label())
                    .description("Events on calls: barge-ins, false interruptions, fallbacks, provider errors...")
                    .register(meters));
        }
        this.stopDetected = step(meters, "stop_detected");
        this.finalizeSent = step(meters, "finalize_sent");
        this.finalWords = step(meters, "final_words");
        this.verdict = step(meters, "verdict");
        this.decided = step(meters, "decided");
        this.firstToken = step(meters, "first_token");
        this.firstVoiceByte = step(meters, "first_voice_byte");
        this.firstAudio = step(meters, "first_audio");
    }

    private static Timer step(MeterRegistry meters, String step) {
        return Timer.builder("parley.turn.step").tag("step", step)
                .description("When a step of an answered turn happened, after the caller's speech ended")
                .publishPercentileHistogram()
                .publishPercentiles(0.5, 0.95, 0.99)
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(meters);
    }

    /**
     * Counts {@code event}; tells the live feed of it when {@code callSid} is given, which the call's log does
     * only for the events its record keeps, so a peer flooding a call with bad frames floods no feed.
     */
    void event(String callSid, CallEvent event) {
        events.get(event.kind()).increment();
        if (callSid != null) {
            live.publish(new LiveEvent.Happened(callSid, event.kind().label(), event.detail(), event.atMs()));
        }
    }

    void live(LiveEvent event) {
        live.publish(event);
    }

    void turn(String callSid, int number, TurnTiming timing) {
        if (callSid != null) {
            live.publish(new LiveEvent.Turn(callSid, number, timing.firstAudioMs(), timing.decidedMs(),
                    timing.firstTokenMs(), timing.firstVoiceByteMs()));
        }
        record(stopDetected, timing.stopDetectedMs());
        record(finalizeSent, timing.finalizeSentMs());
        record(finalWords, timing.finalReceivedMs());
        record(verdict, timing.verdictMs());
        record(decided, timing.decidedMs());
        record(firstToken, timing.firstTokenMs());
        record(firstVoiceByte, timing.firstVoiceByteMs());
        record(firstAudio, timing.firstAudioMs());
    }

    private static void record(Timer step, Long ms) {
        if (ms != null && ms >= 0) {
            step.record(ms, TimeUnit.MILLISECONDS);
        }
    }
}
