package parley.hearing;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class EndOfTurnTest {

    private final EndOfTurn endOfTurn = new EndOfTurn(new EndOfTurn.Waits(400, 1500, 800));

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
            "Sure, I have a minute.                  | COMPLETE_SENTENCE",
            "Who is this?                            | COMPLETE_SENTENCE",
            "Sorry, what is this call about?         | COMPLETE_SENTENCE",
            "Who am I speaking with?                 | COMPLETE_SENTENCE",
            "We ship about 40 a week.                | COMPLETE_SENTENCE",
            "It is jane@example.com.                 | COMPLETE_SENTENCE",
            "My number is 555 0134                   | UNFINISHED",
            "It's four one five, five five five      | UNFINISHED",
            "My email is jane dot doe at             | UNFINISHED",
            "You can reach me at jane@               | UNFINISHED",
            "We use a spreadsheet and                | UNFINISHED",
            "So                                      | UNFINISHED",
            "Well, um                                | UNFINISHED",
            "We mostly ship to the                   | UNFINISHED",
            "We ship pallets, crates,                | UNFINISHED",
            "We mostly ship pallets                  | UNCLEAR",
            "                                        | NO_WORDS_YET"})
    void waitsLongerWhenTheCallerIsMidThought(String text, EndOfTurn.Reason reason) {
        List<String> words = text == null ? List.of() : Arrays.asList(text.trim().split("\\s+"));
        EndOfTurn.Decision decision = endOfTurn.decide(words);
        assertThat(decision.reason()).isEqualTo(reason);
        long expected = switch (reason) {
            case COMPLETE_SENTENCE -> 400;
            case UNFINISHED -> 1500;
            case UNCLEAR, NO_WORDS_YET -> 800;
            case HEARD_COMPLETE, HEARD_UNFINISHED -> throw new AssertionError("only the turn model's hearing says so");
        };
        assertThat(decision.waitMs()).isEqualTo(expected);
    }
}
