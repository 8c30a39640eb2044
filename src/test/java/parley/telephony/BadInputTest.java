package parley.telephony;

import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import parley.call.CallEvent;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.support.RunningParley;
import parley.support.TwilioPeer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Whatever arrives on the media socket, Parley counts what it cannot use, logs it with the call, and keeps
 * the call going.
 */
@TestPropertySource(properties = "parley.media.max-queued-frames=8")
class BadInputTest extends RunningParley {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final byte[] SILENCE = TwilioPeer.SILENCE_FRAME;

    @Autowired
    FrameRejections rejections;

    @Autowired
    CallRegistry calls;

    @Test
    void malformedJsonIsCountedAndTheCallGoesOn() throws Exception {
        assertRejectedAndCallContinues(FrameProblem.MALFORMED_JSON, peer -> peer.send("{\"event\":\"media\",\"media\":"));
    }

    @Test
    void unknownEventsAreCountedAndTheCallGoesOn() throws Exception {
        assertRejectedAndCallContinues(FrameProblem.UNKNOWN_EVENT, peer -> peer.send("{\"event\":\"teleport\"}"));
    }

    @Test
    void invalidBase64IsCountedAndTheCallGoesOn() throws Exception {
        assertRejectedAndCallContinues(FrameProblem.INVALID_PAYLOAD,
                peer -> peer.send(peer.mediaFrame(peer.next(), 1, 0, "%%%not-base64%%%")));
    }

    @Test
    void framesOverTheLimitAreRefusedBeforeTheyAreQueuedAndTheCallGoesOn() throws Exception {
        assertRejectedAndCallContinues(FrameProblem.OVERSIZE, "CAoversizeframe",
                peer -> peer.send(peer.mediaFrame(peer.next(), 1, 0, "A".repeat(20_000))));
    }

    @Test
    void moreAudioInOneFrameThanTwilioSendsIsCountedAndTheCallGoesOn() throws Exception {
        String quarterSecond = Base64.getEncoder().encodeToString(new byte[2000]);
        assertRejectedAndCallContinues(FrameProblem.OVERSIZE, "CAoversizeaudio",
                peer -> peer.send(peer.mediaFrame(peer.next(), 1, 0, quarterSecond)));
    }

    @Test
    void aSecondStartIsCountedAndTheCallGoesOn() throws Exception {
        assertRejectedAndCallContinues(FrameProblem.DUPLICATE_START, peer -> peer.start(Map.of()));
    }

    @Test
    void aMarkParleyNeverSentIsCountedAndThePendingMarksStillCount() throws Exception {
        assertRejectedAndCallContinues(FrameProblem.UNKNOWN_MARK, peer -> peer.mark("u1-999999"));
    }

    @Test
    void binaryFramesAreCountedAndTheCallGoesOn() throws Exception {
        assertRejectedAndCallContinues(FrameProblem.BINARY_FRAME, peer -> peer.sendBinary(new byte[]{1, 2, 3}));
    }

    @Test
    void mediaBeforeStartIsCountedAndTheCallStillStarts() throws Exception {
        double before = rejections.count(FrameProblem.MEDIA_BEFORE_START);
        try (TwilioPeer peer = TwilioPeer.connect(mediaUrl(), "CAearly", Map.of())) {
            peer.connected().media(SILENCE).media(SILENCE);
            Awaitility.await().atMost(WAIT).until(() -> rejections.count(FrameProblem.MEDIA_BEFORE_START) >= before + 2);
            peer.start(Map.of());
            peer.await(TwilioPeer.event("media"), 5, WAIT);
            peer.media(SILENCE);
            Awaitility.await().atMost(WAIT).until(() -> callerFrames("CAearly") == 1);
            assertThat(session("CAearly").rejections(FrameProblem.MEDIA_BEFORE_START)).isEqualTo(2);
        }
    }

    @Test
    void aFloodIsShedAndTheCallGoesOn() throws Exception {
        double before = rejections.count(FrameProblem.FLOOD);
        try (TwilioPeer peer = TwilioPeer.connect(mediaUrl(), "CAflood", Map.of())) {
            peer.connected().start(Map.of());
            peer.await(TwilioPeer.event("media"), 1, WAIT);
            for (int i = 0; i < 5_000; i++) {
                peer.media(SILENCE);
            }
            Awaitility.await().atMost(WAIT).until(() -> rejections.count(FrameProblem.FLOOD) > before);
            CallSession call = session("CAflood");
            Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(
                    call.callerFrames() + call.rejections(FrameProblem.FLOOD)).as("every frame used or counted")
                    .isEqualTo(5_000));
            assertThat(call.callerFrames()).as("frames used").isLessThan(5_000);

            int marksBefore = peer.matching(TwilioPeer.event("mark")).size();
            peer.echoMarks();
            peer.await(TwilioPeer.event("mark"), marksBefore + 1, WAIT);
            assertThat(call.streaming()).isTrue();
        }
    }

    @Test
    void stopEndsTheCallAndClosesASocketThePeerLeavesOpen() throws Exception {
        try (TwilioPeer peer = TwilioPeer.connect(mediaUrl(), "CAstop", Map.of())) {
            peer.connected().start(Map.of());
            Awaitility.await().atMost(WAIT).until(() -> session("CAstop") != null);
            CallSession call = session("CAstop");
            peer.stop();
            assertThat(peer.closed.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1000);
            Awaitility.await().atMost(WAIT).until(() -> session("CAstop") == null);
            assertThat(call.endReason()).isEqualTo("Twilio stopped the stream");
        }
    }

    private interface Misbehaviour {
        void on(TwilioPeer peer) throws Exception;
    }

    private void assertRejectedAndCallContinues(FrameProblem problem, Misbehaviour misbehaviour) throws Exception {
        assertRejectedAndCallContinues(problem, "CA" + problem.tag().replace("_", ""), misbehaviour);
    }

    private void assertRejectedAndCallContinues(FrameProblem problem, String callSid, Misbehaviour misbehaviour)
            throws Exception {
        double before = rejections.count(problem);
        try (TwilioPeer peer = TwilioPeer.connect(mediaUrl(), callSid, Map.of())) {
            peer.connected().start(Map.of());
            peer.await(TwilioPeer.event("media"), 1, WAIT);
            misbehaviour.on(peer);
            peer.media(SILENCE);
            Awaitility.await().atMost(WAIT).until(() -> callerFrames(callSid) == 1);
            assertThat(rejections.count(problem)).isEqualTo(before + 1);
            assertThat(session(callSid).rejections(problem)).isEqualTo(1);
            assertThat(session(callSid).log().events()).as("kept for the call's record")
                    .extracting(CallEvent::kind, event -> event.detail().startsWith(problem.tag() + ": "))
                    .containsExactly(tuple(CallEvent.Kind.FRAME_REJECTED, true));
            assertThat(session(callSid).streaming()).isTrue();

            peer.echoMarks();
            Awaitility.await().atMost(WAIT).until(() -> session(callSid).playback().heardMs() > 0);
        }
    }

    private CallSession session(String callSid) {
        return calls.byCallSid(callSid);
    }

    private long callerFrames(String callSid) {
        CallSession call = calls.byCallSid(callSid);
        return call == null ? -1 : call.callerFrames();
    }
}
