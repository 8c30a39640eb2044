package parley.conversation;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code evaluate} on the sample script's labelled turns, and on files it cannot use. */
class UnderstandingEvaluationTest {

    @Test
    void printsEachStateAndTheWholeForBothHalves() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit = UnderstandingEvaluation.run(new String[0], new PrintStream(printed, true, StandardCharsets.UTF_8),
                System.err);

        assertThat(exit).isZero();
        String report = printed.toString(StandardCharsets.UTF_8);
        UnderstandingEvaluation.Cases cases = UnderstandingEvaluation.read("classpath:scripts/acme-b2b.evaluation.yaml");
        assertThat(report).contains("(%d turns to tune on, %d held back)".formatted(cases.tuning().size(),
                        cases.heldBack().size()), "Model bge-small-en-v1.5-q",
                "Tuning half", "Held-back half");
        for (String state : List.of("greeting", "discovery", "offer_meeting", "ask_email", "ask_time",
                "ask_callback_time", "overall")) {
            assertThat(report.lines().filter(line -> line.startsWith(state + " "))).as(state).hasSize(2);
        }
    }

    @Test
    void everyHeldBackTurnIsCountedOnceAsRightWrongOrMissed() {
        UnderstandingEvaluation.Cases cases = UnderstandingEvaluation.read("classpath:scripts/acme-b2b.evaluation.yaml");
        SalesScript script = ScriptLoader.load(cases.script());
        var understanding = UnderstandingEvaluation.settings(List.of()).understanding();
        OfflinePolicy policy = new OfflinePolicy(script, UnderstandingModel.named(understanding.model()).load(),
                understanding.tuning(), understanding.phraseVectorsFile(understanding.model()));

        List<UnderstandingEvaluation.Reading> readings = UnderstandingEvaluation.read(policy, new TurnRouter(true, 0.8),
                cases.heldBack());
        UnderstandingEvaluation.Figures heldBack = UnderstandingEvaluation.Figures.of(readings);

        assertThat(heldBack.turns()).isEqualTo(cases.heldBack().size()).isGreaterThanOrEqualTo(100);
        assertThat(heldBack.right() + heldBack.wrong() + heldBack.missed()).isEqualTo(heldBack.turns());
        assertThat(heldBack.none()).isEqualTo(cases.heldBack().stream().filter(c -> c.expect().equals("none")).count());
        assertThat(readings).filteredOn(UnderstandingEvaluation.Reading::scripted).hasSize(heldBack.scripted())
                .as("only turns read as a transition at the bar are the script's").allSatisfy(reading -> {
                    assertThat(reading.decision().understood()).isTrue();
                    assertThat(reading.decision().score()).isGreaterThanOrEqualTo(0.8);
                });
    }

    @Test
    void aLabelThatIsNoStateIsRefusedWithItsTurn(@TempDir Path folder) throws Exception {
        Files.copy(Path.of("scripts/acme-b2b.yaml"), folder.resolve("acme-b2b.yaml"));
        Files.writeString(folder.resolve("cases.yaml"), """
                script: acme-b2b.yaml
                tuning:
                  greeting:
                    - said: "Sure."
                      expect: discovery
                held_back:
                  greeting:
                    - said: "Go on then."
                      expect: small_talk
                """);
        ByteArrayOutputStream errors = new ByteArrayOutputStream();

        int exit = UnderstandingEvaluation.run(new String[] {folder.resolve("cases.yaml").toString()}, System.out,
                new PrintStream(errors, true, StandardCharsets.UTF_8));

        assertThat(exit).isEqualTo(2);
        assertThat(errors.toString(StandardCharsets.UTF_8)).contains(
                "\"Go on then.\" expects 'small_talk', which is neither a state of the script nor none");
    }
}
