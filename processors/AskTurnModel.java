package parley.processors;

import java.util.Optional;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.call.CallEvents;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.hearing.CallerHearing;
import parley.hearing.TurnDetector;
import parley.hearing.TurnModelJudge;
import parley.hearing.TurnVerdict;

/**
 * The caller paused with a turn pending: the turn model hears the turn's audio, up to the pause, in the
 * background; its verdict comes back on the call's lane into {@code direct:turn-verdict}.
 */
@Component
public class AskTurnModel implements Processor {

    public static final String VERDICTS = "direct:turn-verdict";
    /** Audio from a little before the detected onset: the first sound of a soft word is under the threshold. */
    private static final long LEAD_IN_MS = 200;

    private final CallRegistry calls;
    private final Optional<TurnModelJudge> judge;
    private final CallEvents events;
    private final Endpoint verdicts;

    public AskTurnModel(CallRegistry calls, Optional<TurnModelJudge> judge, CallEvents events) {
        this.calls = calls;
        this.judge = judge;
        this.events = events;
        this.verdicts = events.to(VERDICTS);
    }

    @Override
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        if (call == null || call.hearing() == null || !call.hearing().turns().wantsVerdict()) {
            return;
        }
        CallerHearing hearing = call.hearing();
        TurnDetector turns = hearing.turns();
        if (judge.isEmpty()) {
            turns.noVerdict();
            return;
        }
        float[] audio = hearing.ear().recentAudio(turns.turnStartMs() - LEAD_IN_MS);
        long pause = turns.verdictAsked();
        boolean asked = judge.get().hear(audio,
                complete -> events.send(call, verdicts, new TurnVerdict(pause, complete)));
        if (!asked) {
            turns.noVerdict();
        }
    }
}
