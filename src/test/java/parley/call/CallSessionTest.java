package parley.call;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import parley.config.ParleyProperties;
import parley.stt.CallTranscripts;
import parley.telephony.FrameProblem;
import parley.telephony.StreamEvent;

import static org.assertj.core.api.Assertions.assertThat;

class CallSessionTest {

    private final CallSession call = new CallSession("key", null, null,
            new ParleyProperties.Playback(Duration.ofMillis(400), 2, Duration.ofMillis(100)), Clock.systemUTC(), 0,
            new CallWatch(new SimpleMeterRegistry(), event -> { }));

    @Test
    void countsMissingFramesByChunkNotBySequenceNumber() {
        // Sequence numbers jump where Twilio interleaved mark echoes; chunks 3 and 4 never arrived.
        assertThat(call.hearFrame(frame(3, 1))).isZero();
        assertThat(call.hearFrame(frame(6, 2))).isZero();
        assertThat(call.hearFrame(frame(7, 5))).isEqualTo(2);
        assertThat(call.hearFrame(frame(8, 6))).isZero();

        assertThat(call.missingFrames()).isEqualTo(2);
        assertThat(call.callerFrames()).isEqualTo(4);
        assertThat(call.callerAudioMs()).isEqualTo(80);
    }

    @Test
    void aFrameWithoutAChunkNumberIsHeardButNotCountedAsAGap() {
        call.hearFrame(frame(1, 1));
        assertThat(call.hearFrame(frame(2, -1))).isZero();
        assertThat(call.hearFrame(frame(3, 2))).isZero();
        assertThat(call.callerFrames()).isEqualTo(3);
    }

    @Test
    void aWithdrawnAnswerLeavesTheScriptAndTheHistoryAsTheyWereBeforeIt() {
        call.scriptState("greeting");
        call.slots(java.util.Map.of("name", "Sam"));
        call.history().agentSaid("Do you have a minute?", 0, 1_400);
        call.history().callerSaid("Is it expensive?", 1_900, 2_800);
        call.keepScriptPosition();
        call.recordTurn(parley.conversation.TurnRecord.scripted("Is it expensive?", "matched"));
        long turn = call.agentTurns().begin();
        java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
        call.agentTurns().onCancel(turn, () -> cancelled.set(true));
        call.scriptState("not_interested");
        call.slots(java.util.Map.of("reason", "price"));
        call.conclude(parley.conversation.SalesScript.Outcome.NOT_INTERESTED);
        call.history().agentSaid("No problem, goodbye!", 3_100, 4_000);

        call.withdrawAnswer();

        assertThat(cancelled).as("the answer's work in flight").isTrue();
        assertThat(call.scriptState()).isEqualTo("greeting");
        assertThat(call.slots()).containsExactly(java.util.Map.entry("name", "Sam"));
        assertThat(call.outcome()).isNull();
        assertThat(call.ending()).isFalse();
        assertThat(call.history().entries()).extracting(parley.conversation.ConversationHistory.Entry::text)
                .containsExactly("Do you have a minute?");
        assertThat(call.turns()).as("answered again once it really ends").isEmpty();
        assertThat(call.log().events()).extracting(CallEvent::detail)
                .containsExactly("the caller went on after \"Is it expensive?\"");
    }

    @Test
    void aRecognizersProblemAndRejectedFramesAreKeptAsEventsUpToTheirLimit() {
        new CallTranscripts(call, null, null).onError("connection reset");
        for (int i = 0; i < CallLog.MAX_EVENTS + 99; i++) {
            call.rejected(FrameProblem.MALFORMED_JSON, "frame " + i);
        }

        List<CallEvent> events = call.log().events();
        assertThat(events.get(0)).extracting(CallEvent::kind, CallEvent::detail)
                .containsExactly(CallEvent.Kind.PROVIDER_ERROR, "speech-to-text: connection reset");
        assertThat(events).hasSize(CallLog.MAX_EVENTS + 1);
        assertThat(events.get(CallLog.MAX_EVENTS).detail()).isEqualTo("100 more events were not kept");
        assertThat(call.rejections(FrameProblem.MALFORMED_JSON)).as("every one counted")
                .isEqualTo(CallLog.MAX_EVENTS + 99);
    }

    private static StreamEvent.CallerAudio frame(long sequenceNumber, long chunk) {
        return new StreamEvent.CallerAudio(sequenceNumber, chunk, (chunk - 1) * 20, new byte[160]);
    }
}
