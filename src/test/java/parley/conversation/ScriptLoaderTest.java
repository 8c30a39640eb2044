package parley.conversation;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScriptLoaderTest {

    @Test
    void loadsTheSampleScript() {
        SalesScript script = ScriptLoader.load(new ClassPathResource("scripts/acme-b2b.yaml"));
        assertThat(script.name()).isEqualTo("Acme Logistics discovery call");
        assertThat(script.openingLine()).startsWith("Hi, this is Sam from Acme Logistics.");
        assertThat(script.states()).containsKeys("greeting", "discovery", "wrap_up");
    }

    @Test
    void namesTheFileAndLineOfAnUnknownStartState() {
        String yaml = """
                name: Broken
                start: hello
                states:
                  greeting:
                    goal: Say hi.
                    say: ["Hi."]
                """;
        assertThatThrownBy(() -> ScriptLoader.load(named(yaml, "broken.yaml")))
                .hasMessageContaining("broken.yaml")
                .hasMessageContaining("line 2")
                .hasMessageContaining("start state 'hello' is not among the states [greeting]");
    }

    @Test
    void namesTheLineOfAStateWithoutLines() {
        String yaml = """
                name: Broken
                start: greeting
                states:
                  greeting:
                    goal: Say hi.
                    say: []
                """;
        assertThatThrownBy(() -> ScriptLoader.load(named(yaml, "empty.yaml")))
                .hasMessageContaining("line 6")
                .hasMessageContaining("'say' of state 'greeting' must list at least one line");
    }

    @Test
    void reportsYamlSyntaxErrorsWithTheirLine() {
        String yaml = "name: Broken\nstart: [unclosed\nstates: {}\n";
        assertThatThrownBy(() -> ScriptLoader.load(named(yaml, "syntax.yaml")))
                .hasMessageContaining("syntax.yaml")
                .hasMessageMatching(".*line [34].*");
    }

    private static ByteArrayResource named(String yaml, String name) {
        return new ByteArrayResource(yaml.getBytes(), name);
    }
}
