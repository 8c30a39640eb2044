package parley.conversation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.CosineSimilarity;

/**
 * Follows the script with no language model: what the caller said is compared, as a sentence embedding
 * (all-MiniLM-L6-v2, in-process), with the example utterances of each transition open from the current state;
 * the closest one above a threshold is taken. Slots are read by typed parsers. A state whose required slots
 * are missing asks again; so does one where nothing the caller said matches a transition well enough.
 */
public final class OfflinePolicy {

    /** What to do after the caller's turn: where the call goes, what was collected, why. */
    public record Decision(String state, Map<String, Object> slots, String reason, double score) {
    }

    private final SalesScript script;
    private final EmbeddingModel embeddings;
    private final double threshold;
    private final Map<SalesScript.Transition, List<Embedding>> examples = new LinkedHashMap<>();

    public OfflinePolicy(SalesScript script, EmbeddingModel embeddings, double threshold) {
        this.script = script;
        this.embeddings = embeddings;
        this.threshold = threshold;
        List<SalesScript.Transition> all = new ArrayList<>(script.anytime());
        script.states().values().forEach(state -> all.addAll(state.transitions()));
        for (SalesScript.Transition transition : all) {
            List<Embedding> embedded = new ArrayList<>();
            for (String example : transition.examples()) {
                embedded.add(embeddings.embed(example).content());
            }
            examples.put(transition, embedded);
        }
    }

    public Decision decide(String state, String said, Map<String, Object> collected, CallerCalendar calendar) {
        SalesScript.State current = script.states().get(state);
        Map<String, Object> slots = new LinkedHashMap<>(collected);
        current.slots().forEach((name, slot) -> {
            Optional<Object> value = SlotParsers.parse(slot, said, calendar);
            value.ifPresent(v -> slots.put(name, v));
        });

        Embedding heard = embeddings.embed(said.isBlank() ? "..." : said).content();
        SalesScript.Transition best = null;
        double bestScore = -1;
        for (SalesScript.Transition transition : script.transitionsFrom(state)) {
            for (Embedding example : examples.get(transition)) {
                double score = CosineSimilarity.between(heard, example);
                if (score > bestScore) {
                    bestScore = score;
                    best = transition;
                }
            }
        }
        boolean anytime = best != null && script.anytime().contains(best);
        if (best != null && bestScore >= threshold && (anytime || requiredFilled(current, slots))) {
            return new Decision(best.to(), slots, String.format("matched \"%s\" (%.2f)", best.when(), bestScore),
                    bestScore);
        }
        List<String> missing = missing(current, slots);
        if (!missing.isEmpty()) {
            return new Decision(state, slots, "still needs " + missing, bestScore);
        }
        // A state that only collects slots moves on by its one transition once they are in.
        List<SalesScript.Transition> own = current.transitions();
        if (own.size() == 1 && own.get(0).examples().isEmpty() && !current.slots().isEmpty()) {
            return new Decision(own.get(0).to(), slots, "collected " + current.slots().keySet(), 1.0);
        }
        return new Decision(state, slots, String.format("nothing matched well enough (best %.2f)", bestScore),
                bestScore);
    }

    private static boolean requiredFilled(SalesScript.State state, Map<String, Object> slots) {
        return missing(state, slots).isEmpty();
    }

    private static List<String> missing(SalesScript.State state, Map<String, Object> slots) {
        List<String> missing = new ArrayList<>();
        state.slots().forEach((name, slot) -> {
            if (slot.required() && !slots.containsKey(name)) {
                missing.add(name);
            }
        });
        return missing;
    }
}
