package parley.call;

import java.time.Duration;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import parley.support.RunningParley;
import parley.support.TwilioPeer;

import static org.assertj.core.api.Assertions.assertThat;

/** A call whose every frame fails does not disturb another call, and is not dropped itself. */
@DirtiesContext
class CallIsolationTest extends RunningParley {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int FRAMES = 50;

    @Autowired
    CamelContext camel;

    @Autowired
    CallRegistry calls;

    @Test
    void aFaultInOneCallNeverTouchesAnother() throws Exception {
        AdviceWith.adviceWith(camel, "hearing", route -> route.weaveAddFirst().process(exchange -> {
            CallSession call = calls.of(exchange);
            if ("CAfaulty".equals(call.stream().callSid())) {
                throw new IllegalStateException("injected fault in the faulty call");
            }
        }));
        byte[] silence = TwilioPeer.SILENCE_FRAME;

        try (TwilioPeer faulty = TwilioPeer.connect(mediaUrl(), "CAfaulty", Map.of());
             TwilioPeer healthy = TwilioPeer.connect(mediaUrl(), "CAhealthy", Map.of())) {
            faulty.connected().start(Map.of());
            healthy.connected().start(Map.of());
            for (int i = 0; i < FRAMES; i++) {
                faulty.media(silence);
                healthy.media(silence);
            }
            Awaitility.await().atMost(WAIT).until(() -> callerFrames("CAhealthy") == FRAMES);
            assertThat(callerFrames("CAfaulty")).as("the faulty call's frames all failed").isZero();

            for (TwilioPeer peer : new TwilioPeer[]{faulty, healthy}) {
                peer.await(TwilioPeer.event("mark"), 1, WAIT);
                peer.echoMarks();
                Awaitility.await().atMost(WAIT).until(() -> calls.byCallSid(peer.callSid).playback().heardMs() > 0);
                assertThat(calls.byCallSid(peer.callSid).streaming()).as(peer.callSid + " is still up").isTrue();
            }
        }
    }

    private long callerFrames(String callSid) {
        CallSession call = calls.byCallSid(callSid);
        return call == null ? -1 : call.callerFrames();
    }
}
