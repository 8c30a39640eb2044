package parley.conversation;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Decides, in the spirit of RouteLLM, who answers a caller's turn: the script itself (its line is already
 * voiced, so it plays within milliseconds), the fast model, or the strong one. A question or an objection
 * goes to the strong model; an answer the offline policy is sure of is scripted, and so is the first answer it
 * does not understand in a state (the state's second line asks again); the rest to the fast model.
 */
public final class TurnRouter {

    public enum Route { SCRIPTED, FAST, STRONG }

    public record Decision(Route route, String reason) {
    }

    private static final Pattern QUESTION = Pattern.compile(
            "\\?\\s*$|^(what|how|why|when|where|who|which|does|do|can|could|is|are|will|would)\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern OBJECTION = Pattern.compile(
            "\\b(too expensive|expensive|cost|price|already (use|have)|not sure|concern|worried|competitor|contract)\\b",
            Pattern.CASE_INSENSITIVE);

    private final boolean modelConfigured;
    private final double scriptedAbove;

    public TurnRouter(boolean modelConfigured, double scriptedAbove) {
        this.modelConfigured = modelConfigured;
        this.scriptedAbove = scriptedAbove;
    }

    /**
     * @param mayAskAgain the script would still say the state's second line for a turn it did not understand
     *                    (see {@link SalesScript.NotUnderstood}): quicker than a model, and what a person would do
     */
    public Decision route(String said, OfflinePolicy.Decision offline, boolean mayAskAgain) {
        if (!modelConfigured) {
            return new Decision(Route.SCRIPTED, "no model configured");
        }
        String text = said.trim().toLowerCase(Locale.ROOT);
        if (QUESTION.matcher(text).find()) {
            return new Decision(Route.STRONG, "the caller asked a question");
        }
        if (OBJECTION.matcher(text).find()) {
            return new Decision(Route.STRONG, "the caller raised an objection");
        }
        if (offline.understood() && offline.score() >= scriptedAbove) {
            return new Decision(Route.SCRIPTED, String.format("the script is sure: %s", offline.reason()));
        }
        if (!offline.understood() && mayAskAgain) {
            return new Decision(Route.SCRIPTED, String.format("the script asks again: %s", offline.reason()));
        }
        return new Decision(Route.FAST, String.format("the script is unsure (likeliest %.2f)", offline.score()));
    }
}
