package parley.hearing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import parley.audio.MuLaw;

/** What the ear keeps of the caller for the turn model: the last 8 s, placed by Twilio's timestamps. */
class CallerEarTest {

    private static SileroVad vad;

    @BeforeAll
    static void load() {
        vad = SileroVad.load();
    }

    @AfterAll
    static void close() {
        vad.close();
    }

    /** 20 ms of one mu-law value. */
    private static byte[] chunk(int value) {
        byte[] frame = new byte[160];
        Arrays.fill(frame, (byte) value);
        return frame;
    }

    private static float sample(int value) {
        return MuLaw.decode((byte) value) / 32768f;
    }

    @Test
    void theRecentAudioIsWhatArrivedFromTheGivenMomentOn() {
        CallerEar ear = new CallerEar(vad.newStream());
        ear.hear(chunk(0x10), 0, window -> { });
        ear.hear(chunk(0x20), 20, window -> { });
        ear.hear(chunk(0x30), 40, window -> { });

        float[] recent = ear.recentAudio(20);

        assertThat(recent).hasSize(320);
        assertThat(recent[0]).isEqualTo(sample(0x20));
        assertThat(recent[159]).isEqualTo(sample(0x20));
        assertThat(recent[160]).isEqualTo(sample(0x30));
        assertThat(ear.recentAudio(-200)).as("from before the call: from its start").hasSize(480);
    }

    @Test
    void aGapTwilioLeftIsSilenceNotOlderAudio() {
        CallerEar ear = new CallerEar(vad.newStream());
        for (int ms = 0; ms < 9000; ms += 20) {
            ear.hear(chunk(0x10), ms, window -> { });
        }
        ear.hear(chunk(0x20), 9100, window -> { });

        float[] recent = ear.recentAudio(8980);

        assertThat(recent).as("8980 to 9120 ms").hasSize(1120);
        assertThat(recent[159]).as("the last chunk before the gap").isEqualTo(sample(0x10));
        assertThat(recent[160]).as("the gap, 9000 to 9100 ms").isEqualTo(sample(MuLaw.SILENCE));
        assertThat(recent[959]).isEqualTo(sample(MuLaw.SILENCE));
        assertThat(recent[960]).isEqualTo(sample(0x20));
    }

    @Test
    void onlyTheLastEightSecondsAreKept() {
        CallerEar ear = new CallerEar(vad.newStream());
        for (int ms = 0; ms < 10_000; ms += 20) {
            ear.hear(chunk(ms < 2000 ? 0x10 : 0x20), ms, window -> { });
        }

        float[] recent = ear.recentAudio(0);

        assertThat(recent).hasSize(CallerEar.KEPT_MS * 8);
        assertThat(recent[0]).as("audio from 2 s on").isEqualTo(sample(0x20));
    }
}
