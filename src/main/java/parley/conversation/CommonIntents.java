package parley.conversation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What callers say in any state of any sales call (not interested, busy, wrong person, do not call, a person
 * please), read from {@code parley/common-intents.yaml}, so that a script need not repeat them in every state.
 * Each goes where the script's states say (the state with the matching outcome or action) unless the script's
 * {@code intents:} sends it elsewhere or switches it off.
 */
public final class CommonIntents {

    /** A script's {@code intents:} value that switches an intent off. */
    public static final String OFF = "off";

    private record Intent(String name, String when, String leadsTo, List<String> examples) {
    }

    private static final Map<String, Intent> INTENTS = read();

    private CommonIntents() {
    }

    public static List<String> names() {
        return List.copyOf(INTENTS.keySet());
    }

    /**
     * The script's own {@code anytime} transitions with the common intents joined in: an intent that goes where
     * one of the script's transitions goes lends it its examples; the others are added after the script's.
     */
    static List<SalesScript.Transition> joinedWith(List<SalesScript.Transition> anytime,
                                                   Map<String, SalesScript.State> states, Map<String, String> overrides) {
        List<SalesScript.Transition> joined = new ArrayList<>(anytime);
        for (Intent intent : INTENTS.values()) {
            String override = overrides.get(intent.name());
            Optional<String> target = override != null
                    ? (OFF.equals(override) ? Optional.empty() : Optional.of(override))
                    : defaultTarget(intent.leadsTo(), states);
            if (target.isEmpty()) {
                continue;
            }
            int own = indexGoingTo(joined, target.get());
            if (own >= 0) {
                SalesScript.Transition script = joined.get(own);
                List<String> examples = new ArrayList<>(script.examples());
                examples.addAll(intent.examples());
                joined.set(own, new SalesScript.Transition(script.to(), script.when(), List.copyOf(examples),
                        script.dtmf()));
            } else {
                joined.add(new SalesScript.Transition(target.get(), intent.when(), intent.examples(), null));
            }
        }
        return List.copyOf(joined);
    }

    private static int indexGoingTo(List<SalesScript.Transition> transitions, String state) {
        for (int i = 0; i < transitions.size(); i++) {
            if (transitions.get(i).to().equals(state)) {
                return i;
            }
        }
        return -1;
    }

    private static Optional<String> defaultTarget(String leadsTo, Map<String, SalesScript.State> states) {
        String[] words = leadsTo.split(" ");
        return switch (words[0]) {
            case "outcome" -> stateWithOutcome(words[1], states);
            case "collects" -> stateWithOutcome(words[2], states).map(ending -> states.entrySet().stream()
                    .filter(state -> state.getValue().transitions().stream().anyMatch(t -> t.to().equals(ending)))
                    .map(Map.Entry::getKey).findFirst().orElse(ending));
            case "action" -> states.entrySet().stream()
                    .filter(state -> state.getValue().action() == SalesScript.Action.TRANSFER)
                    .map(Map.Entry::getKey).findFirst();
            default -> throw new IllegalStateException("common-intents.yaml: unknown leads_to '" + leadsTo + "'");
        };
    }

    private static Optional<String> stateWithOutcome(String outcome, Map<String, SalesScript.State> states) {
        SalesScript.Outcome wanted = SalesScript.Outcome.valueOf(outcome.toUpperCase(Locale.ROOT));
        return states.entrySet().stream().filter(state -> state.getValue().outcome() == wanted)
                .map(Map.Entry::getKey).findFirst();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Intent> read() {
        Map<String, Map<String, Object>> raw = BundledYaml.read("parley/common-intents.yaml");
        Map<String, Intent> intents = new LinkedHashMap<>();
        raw.forEach((name, intent) -> intents.put(name, new Intent(name, (String) intent.get("when"),
                (String) intent.get("leads_to"), List.copyOf((List<String>) intent.get("examples")))));
        return intents;
    }
}
