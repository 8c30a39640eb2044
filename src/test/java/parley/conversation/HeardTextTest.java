package parley.conversation;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HeardTextTest {

    private static final String LINE = "Hi, this is Sam from Acme. Do you have a minute to talk?";

    @Test
    void withWordTimingsTheCutIsAtTheLastWordFullyPlayed() {
        List<HeardText.TimedWord> timings = List.of(
                new HeardText.TimedWord("Hi,", 300), new HeardText.TimedWord("this", 520),
                new HeardText.TimedWord("is", 640), new HeardText.TimedWord("Sam", 900),
                new HeardText.TimedWord("from", 1100), new HeardText.TimedWord("Acme.", 1500));
        assertThat(HeardText.heard(LINE, 899, 4000, timings)).isEqualTo("Hi, this is");
        assertThat(HeardText.heard(LINE, 900, 4000, timings)).isEqualTo("Hi, this is Sam");
        assertThat(HeardText.heard(LINE, 4000, 4000, timings)).isEqualTo(LINE);
    }

    @Test
    void withoutTimingsWordsShareTheAudioByTheirLength() {
        assertThat(HeardText.heard(LINE, 0, 4000, List.of())).isEmpty();
        assertThat(HeardText.heard(LINE, 2000, 4000, List.of())).isEqualTo("Hi, this is Sam from Acme.");
        assertThat(HeardText.heard(LINE, 2100, 4000, List.of())).isEqualTo("Hi, this is Sam from Acme. Do");
        assertThat(HeardText.heard(LINE, 3999, 4000, List.of())).isEqualTo("Hi, this is Sam from Acme. Do you have a minute to");
    }

    @Test
    void aCutLineIsOfferedAgainFromTheStartOfItsSentence() {
        assertThat(HeardText.fromCutSentence(LINE, "Hi, this is Sam from Acme. Do you have"))
                .isEqualTo("Do you have a minute to talk?");
        assertThat(HeardText.fromCutSentence(LINE, "Hi, this")).isEqualTo(LINE);
    }
}
