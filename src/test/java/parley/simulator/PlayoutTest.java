package parley.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import parley.audio.MuLaw;

class PlayoutTest {

    private static byte[] bytes(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void aFrameSpansMessagesAndPassesTheMarksBetweenThem() {
        Playout playout = new Playout();
        playout.append(bytes(100, 1));
        playout.mark("a");
        playout.append(bytes(100, 2));
        playout.mark("b");
        List<String> reached = new ArrayList<>();

        byte[] frame = new byte[160];
        assertThat(playout.play(frame, reached)).isEqualTo(160);
        assertThat(reached).containsExactly("a");
        assertThat(Arrays.copyOfRange(frame, 0, 100)).containsOnly(1);
        assertThat(Arrays.copyOfRange(frame, 100, 160)).containsOnly(2);
        assertThat(playout.bufferedBytes()).isEqualTo(40);

        assertThat(playout.play(frame, reached)).isEqualTo(40);
        assertThat(reached).containsExactly("a", "b");
        assertThat(Arrays.copyOfRange(frame, 0, 40)).containsOnly(2);
        assertThat(Arrays.copyOfRange(frame, 40, 160)).containsOnly(MuLaw.SILENCE);
        assertThat(playout.hasAudio()).isFalse();
    }

    @Test
    void clearDropsTheAudioAndHandsBackTheWaitingMarksInOrder() {
        Playout playout = new Playout();
        playout.append(bytes(400, 1));
        playout.mark("x");
        playout.append(bytes(400, 1));
        playout.mark("y");

        assertThat(playout.clear()).containsExactly("x", "y");
        assertThat(playout.hasAudio()).isFalse();
        assertThat(playout.takeReachedMarks()).isEmpty();
        List<String> reached = new ArrayList<>();
        assertThat(playout.play(new byte[160], reached)).isZero();
        assertThat(reached).isEmpty();
    }

    @Test
    void emptyAudioQueuesNothingSoAMarkAfterItIsReachedAtOnce() {
        Playout playout = new Playout();
        playout.append(new byte[0]);
        playout.mark("now");

        assertThat(playout.takeReachedMarks()).containsExactly("now");
    }
}
