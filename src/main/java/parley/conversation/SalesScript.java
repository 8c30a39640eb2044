package parley.conversation;

import java.util.List;
import java.util.Map;

/**
 * A sales script: named states, each with a goal and the lines the agent says there. The call opens in
 * {@code start}.
 */
public record SalesScript(String name, String source, String start, Map<String, State> states) {

    public record State(String goal, List<String> say) {
    }

    /** The agent's first words on a call. */
    public String openingLine() {
        return states.get(start).say().get(0);
    }
}
