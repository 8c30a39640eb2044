package parley.conversation;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Words that refuse, and words that agree by way of a negation. */
class NegationTest {

    @ParameterizedTest(name = "\"{0}\": negates {1}, agrees by negating {2}")
    @CsvSource(delimiter = '|', value = {
            "Not interested.                         | true  | false",
            "We don't need a demo.                   | true  | false",
            "Nope.                                   | true  | false",
            "I can’t see it being worth it.          | true  | false",
            "Sure, sounds good.                      | false | false",
            "I wouldn't say no to that.              | false | true",
            "No, I don't mind taking a look.         | true  | true",
            "Can't hurt, right? Sure.                | false | true",
            "Why not.                                | false | true",
            "No problem, go ahead.                   | false | true"})
    void tellsRefusingFromAgreeing(String said, boolean negates, boolean agreesByNegating) {
        assertThat(Negation.negative(said)).isEqualTo(negates);
        assertThat(Negation.agreesByNegating(said)).isEqualTo(agreesByNegating);
    }
}
