package parley.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamingAnswerParserTest {

    private static final AnswerSchema SCHEMA = new AnswerSchema(List.of("pitch", "close"),
            Map.of("email", new SlotType.Email(false), "name", new SlotType.Name(false)));

    /** Escapes of every kind in the say, including a surrogate pair written as two \\u escapes. */
    private static final String SAMPLE = "Sure thing \u2014 ```json\n"
            + "{\"say\": \"Hi \\\"Ann\\\", caf\\u00e9 at 3\\\\4?\\nYes \\ud83d\\ude00 ok\\/done\\t.\","
            + " \"next_state\": \"close\", \"slots\": {\"name\": \"Ann\", \"email\": \"ann@example.com\"}}\n```";
    private static final String SAMPLE_SAY = "Hi \"Ann\", caf\u00e9 at 3\\4?\nYes \ud83d\ude00 ok/done\t.";

    private record Run(List<String> pieces, Verdict verdict) {
        String said() {
            return String.join("", pieces);
        }
    }

    private static Run run(List<String> chunks) {
        List<String> pieces = new ArrayList<>();
        StreamingAnswerParser parser = new StreamingAnswerParser(SCHEMA, pieces::add);
        chunks.forEach(parser::feed);
        return new Run(pieces, parser.finish());
    }

    @Test
    void everySplitOfTheSampleGivesTheSameSayAndAnswer() {
        Run whole = run(List.of(SAMPLE));
        assertThat(whole.said()).isEqualTo(SAMPLE_SAY);
        assertThat(whole.verdict()).isEqualTo(new Verdict.Valid(new Answer("close",
                Map.of("name", "Ann", "email", "ann@example.com"), SAMPLE_SAY)));

        for (int i = 0; i <= SAMPLE.length(); i++) {
            for (int j = i; j <= SAMPLE.length(); j++) {
                Run split = run(List.of(SAMPLE.substring(0, i), SAMPLE.substring(i, j), SAMPLE.substring(j)));
                assertThat(split.said()).as("split at %d and %d", i, j).isEqualTo(SAMPLE_SAY);
                assertThat(split.verdict()).as("split at %d and %d", i, j).isEqualTo(whole.verdict());
                assertThat(split.pieces()).as("no piece ends in half a surrogate pair")
                        .noneMatch(piece -> piece.isEmpty()
                                || Character.isHighSurrogate(piece.charAt(piece.length() - 1)));
            }
        }
    }

    @Test
    void oneCharacterAtATimeHandsOverTheSayAsItArrives() {
        List<String> pieces = new ArrayList<>();
        StreamingAnswerParser parser = new StreamingAnswerParser(SCHEMA, pieces::add);
        String json = "{\"say\":\"Hello\",\"next_state\":\"pitch\"}";
        int sayOpens = json.indexOf("Hello");
        for (int i = 0; i < json.length(); i++) {
            parser.feed(json.substring(i, i + 1));
            if (i == sayOpens) {
                assertThat(pieces).containsExactly("H");
            }
        }
        assertThat(String.join("", pieces)).isEqualTo("Hello");
        assertThat(parser.done()).isTrue();
        assertThat(parser.verdict()).contains(new Verdict.Valid(new Answer("pitch", Map.of(), "Hello")));
    }

    @Test
    void sayIsCompleteOnlyOnceItsStringCloses() {
        StreamingAnswerParser parser = new StreamingAnswerParser(SCHEMA, piece -> { });
        parser.feed("{\"say\":\"Hello");
        assertThat(parser.sayComplete()).isFalse();
        parser.feed("\", \"next_state\":");
        assertThat(parser.sayComplete()).isTrue();
        assertThat(parser.done()).isFalse();
    }

    @Test
    void onlyTheTopLevelSayStringIsSpoken() {
        Run run = run(List.of("Note the \"say\" field: ",
                "{\"slots\":{\"say\":\"not this\",\"name\":\"Bo\"},\"x\":[\"say\",{\"say\":\"nor this\"}],",
                "\"next_state\":\"say\",\"say\":\"This.\"}"));
        assertThat(run.said()).isEqualTo("This.");
    }

    @Test
    void aSecondSayIsNotSpokenAndTheAnswerIsRejected() {
        Run run = run(List.of("{\"say\":\"One.\",\"say\":\"Two.\",\"next_state\":\"pitch\"}"));
        assertThat(run.said()).isEqualTo("One.");
        assertThat(run.verdict()).isInstanceOf(Verdict.Invalid.class);
        assertThat(((Verdict.Invalid) run.verdict()).problems()).singleElement()
                .satisfies(problem -> assertThat(problem.message()).contains("not valid JSON", "say"));
    }

    @Test
    void nothingIsSpokenPastTheCharacterWhereTheJsonBreaks() {
        Run badEscape = run(List.of("{\"say\":\"We can do Tues", "day. Or \\q Wednesday.\",\"next_state\":\"pitch\"}"));
        assertThat(badEscape.said()).isEqualTo("We can do Tuesday. Or ");
        assertThat(badEscape.verdict()).isEqualTo(new Verdict.Invalid(List.of(
                new Problem("answer", "is not valid JSON at character 32: '\\q' is not a JSON escape"))));

        Run rawNewline = run(List.of("{\"say\":\"Line one\nLine two\"}"));
        assertThat(rawNewline.said()).isEqualTo("Line one");
        assertThat(rawNewline.verdict()).isInstanceOf(Verdict.Invalid.class);

        Run badHex = run(List.of("{\"say\":\"caf\\u00", "zz\"}"));
        assertThat(badHex.said()).isEqualTo("caf");
    }

    @Test
    void structuralMistakesAreCaughtWhereTheyHappen() {
        StreamingAnswerParser missingColon = new StreamingAnswerParser(SCHEMA, piece -> { });
        missingColon.feed("{\"say\" \"Hi\"");
        assertThat(missingColon.done()).isTrue();
        assertThat(missingColon.finish()).isEqualTo(new Verdict.Invalid(List.of(
                new Problem("answer", "is not valid JSON at character 8: expected ':' but found '\"'"))));

        assertThat(problemOf("{\"say\":\"Hi\",\"next_state\":tru}")).contains("\"tru\" is not a JSON value");
        assertThat(problemOf("{\"say\":\"Hi\",\"n\":yes}")).contains("expected a value but found 'y'");
        assertThat(problemOf("{\"say\":\"Hi\",\"n\":01}")).contains("\"01\" is not a JSON value");
        assertThat(problemOf("{\"say\":\"Hi\",\"n\":[1,2}")).contains("'}' does not match '['");
        assertThat(problemOf("{\"say\":\"Hi\",}")).contains("expected a field name but found '}'");
        assertThat(problemOf("{\"say\":\"Hi\" \"next_state\"}")).contains("expected ',' or a closing bracket");
    }

    @Test
    void numbersLiteralsAndArraysAreAcceptedWhereTheSchemaIsTheJudge() {
        Run run = run(List.of("{\"say\":\"Hi\",\"next_state\":\"pitch\",\"slots\":{\"name\":null},",
                "\"extra\":[-1.5e3, 0, true, false, null, {}, []]}"));
        assertThat(run.verdict()).isEqualTo(new Verdict.Invalid(List.of(
                new Problem("extra", "is not a field of the answer"))));
    }

    @Test
    void textAfterTheObjectIsIgnored() {
        Run run = run(List.of("{\"say\":\"Hi\",\"next_state\":\"pitch\"}\n```\nThen {\"say\":\"more\"}"));
        assertThat(run.said()).isEqualTo("Hi");
        assertThat(run.verdict()).isEqualTo(new Verdict.Valid(new Answer("pitch", Map.of(), "Hi")));
    }

    @Test
    void aStreamThatStopsShortOrHoldsNoObjectIsAProblem() {
        assertThat(run(List.of("{\"say\":\"Hi\",\"next_st")).verdict()).isEqualTo(new Verdict.Invalid(List.of(
                new Problem("answer", "ended before the JSON object was complete"))));
        assertThat(run(List.of("I'm sorry, I can't help with that.")).verdict()).isEqualTo(new Verdict.Invalid(
                List.of(new Problem("answer", "holds no JSON object"))));
    }

    private static String problemOf(String json) {
        Verdict verdict = run(List.of(json)).verdict();
        assertThat(verdict).isInstanceOf(Verdict.Invalid.class);
        return ((Verdict.Invalid) verdict).problems().get(0).message();
    }
}
