package parley.call;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import parley.audio.MuLaw;

import static org.assertj.core.api.Assertions.assertThat;

/** Both sides of a call on one timeline, the agent's where Twilio played it and cut where a clear cut it. */
class CallRecordingTest {

    private static final long START = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    @Test
    void theCallersSideKeepsSilenceWhereFramesWentMissing() {
        CallRecording recording = new CallRecording(START, 60_000);
        recording.caller(tone(160, 1000), 0, 160);
        recording.caller(tone(160, 2000), 2, 160);

        short[] caller = recording.callerSide();
        assertThat(caller).hasSize(4 * 160);
        assertThat(caller[0]).isEqualTo(MuLaw.decode(MuLaw.encode((short) 1000)));
        assertThat(Arrays.copyOfRange(caller, 160, 480)).containsOnly((short) 0);
        assertThat(caller[480]).isEqualTo(MuLaw.decode(MuLaw.encode((short) 2000)));
    }

    @Test
    void audioSentAheadPlaysAfterWhatTwilioHoldsAndAClearCutsIt() {
        CallRecording recording = new CallRecording(START, 60_000);
        // 100 ms sent at 20 ms: it plays from 20 ms to 120 ms. 100 ms more sent at 40 ms plays after it.
        byte[] line = tone(800, 1000);
        recording.agent(line, 0, 800, START + 20 * MS);
        recording.agent(line, 0, 800, START + 40 * MS);
        short[] agent = recording.agentSide();
        assertThat(agent).hasSize(220 * 8);
        assertThat(Arrays.copyOfRange(agent, 0, 20 * 8)).containsOnly((short) 0);
        assertThat(Arrays.copyOfRange(agent, 20 * 8, 220 * 8)).doesNotContain((short) 0);

        // A clear at 70 ms: Twilio drops all it had not played; the next line plays when it is sent.
        recording.cut(START + 70 * MS);
        recording.agent(line, 0, 800, START + 300 * MS);
        agent = recording.agentSide();
        assertThat(agent).hasSize(400 * 8);
        assertThat(Arrays.copyOfRange(agent, 20 * 8, 70 * 8)).doesNotContain((short) 0);
        assertThat(Arrays.copyOfRange(agent, 70 * 8, 300 * 8)).containsOnly((short) 0);
        assertThat(Arrays.copyOfRange(agent, 300 * 8, 400 * 8)).doesNotContain((short) 0);
    }

    @Test
    void bothSidesStopAtTheLongestRecordingAndAreAsLongAsEachOther() {
        CallRecording recording = new CallRecording(START, 100);
        for (int i = 0; i < 10; i++) {
            recording.caller(tone(160, 1000), 0, 160);
        }
        recording.agent(tone(160, 1000), 0, 160, START);

        assertThat(recording.callerSide()).hasSize(800);
        assertThat(recording.agentSide()).hasSize(800);
        assertThat(Arrays.copyOfRange(recording.agentSide(), 160, 800)).containsOnly((short) 0);
    }

    private static byte[] tone(int samples, int level) {
        byte[] tone = new byte[samples];
        Arrays.fill(tone, MuLaw.encode((short) level));
        return tone;
    }
}
