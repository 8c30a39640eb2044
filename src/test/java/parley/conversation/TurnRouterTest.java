package parley.conversation;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Who answers a turn when a model is configured. */
class TurnRouterTest {

    private final TurnRouter router = new TurnRouter(true, 0.75);

    private static OfflinePolicy.Decision read(double score, boolean understood) {
        return new OfflinePolicy.Decision("greeting", Map.of(), "test", score, understood);
    }

    @Test
    void aTurnNotUnderstoodIsAskedAgainOnceByTheScriptThenGoesToTheModel() {
        assertThat(router.route("Hmm, pigeons.", read(0.1, false), true).route()).isEqualTo(TurnRouter.Route.SCRIPTED);
        assertThat(router.route("Hmm, pigeons.", read(0.1, false), false).route()).isEqualTo(TurnRouter.Route.FAST);
    }

    @Test
    void aSureReadingIsTheScriptsAndAnUnsureOneTheFastModels() {
        assertThat(router.route("Sure, go ahead.", read(0.8, true), true).route()).isEqualTo(TurnRouter.Route.SCRIPTED);
        assertThat(router.route("Sure, go ahead.", read(0.5, true), true).route()).isEqualTo(TurnRouter.Route.FAST);
        assertThat(router.route("How much does it cost?", read(0.9, true), true).route())
                .as("a question goes to the strong model, however sure the script").isEqualTo(TurnRouter.Route.STRONG);
    }

    @Test
    void withNoModelEveryTurnIsTheScripts() {
        assertThat(new TurnRouter(false, 0.75).route("Hmm, pigeons.", read(0.1, false), false).route())
                .isEqualTo(TurnRouter.Route.SCRIPTED);
    }
}
