package parley.call;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import parley.config.ParleyProperties;
import parley.telephony.StreamEvent;

import static org.assertj.core.api.Assertions.assertThat;

class CallSessionTest {

    private final CallSession call = new CallSession("key", null, null,
            new ParleyProperties.Playback(Duration.ofMillis(400), 2, Duration.ofMillis(100)));

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

    private static StreamEvent.CallerAudio frame(long sequenceNumber, long chunk) {
        return new StreamEvent.CallerAudio(sequenceNumber, chunk, (chunk - 1) * 20, new byte[160]);
    }
}
