package parley.conversation;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A script's line said to one lead, with the dial request's variables. */
class ScriptLinesTest {

    @Test
    void variablesAreFilledInAndAMissingOneClosesUp() {
        String line = "Hi {first_name}, this is Sam from {company}.";
        assertThat(ScriptLines.forCall(line, Map.of("var-first_name", "Jane", "var-company", "Acme")))
                .isEqualTo("Hi Jane, this is Sam from Acme.");
        assertThat(ScriptLines.forCall(line, Map.of("var-company", "Acme"))).isEqualTo("Hi, this is Sam from Acme.");
        assertThat(ScriptLines.forCall(line, Map.of("first_name", "not a variable"))).isEqualTo("Hi, this is Sam from.");
    }

    @Test
    void aLineWithoutVariablesIsTheSameOnEveryCall() {
        assertThat(ScriptLines.personal("Great. What's the best email address?")).isFalse();
        assertThat(ScriptLines.personal("Hi {first_name}!")).isTrue();
        assertThat(ScriptLines.forCall("Costs {are} $5 {", Map.of("var-are", "only"))).isEqualTo("Costs only $5 {");
    }
}
