package parley.conversation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.CosineSimilarity;
import parley.knowledge.ReadAheadEmbeddings;

/**
 * Reads a caller's turn against the script with no language model. What the caller said is compared, as a
 * sentence embedding (a model run in process), with each transition open from the current state: with its
 * examples and with its description ({@code when}). Transitions to the same state count as one. Scores are
 * calibrated per state against unrelated talk (see {@code parley/unrelated-talk.yaml}), which also competes:
 * the best transition is taken only when it is likely enough and clearly ahead of both the second best and the
 * nearest unrelated talk. Words that negate ("not interested") count less toward a transition whose examples do
 * not, and words that agree by negating ("I wouldn't say no") less toward one whose examples refuse. Slots are
 * read by typed parsers; words that give what the state asks for are its answer; a state whose required slots
 * are missing asks again.
 */
public final class OfflinePolicy implements AutoCloseable {

    /**
     * What to do after the caller's turn: where the call goes, what was collected, why, and how sure.
     * {@code understood}: the turn was read as a transition (or gave what the state collects), not left unclear.
     */
    public record Decision(String state, Map<String, Object> slots, String reason, double score, boolean understood) {
    }

    /**
     * How a turn is read.
     *
     * @param threshold         the least calibrated score a transition is taken at
     * @param margin            how far ahead of the second-best transition, and of unrelated talk, the best must be
     * @param descriptionWeight the share of a transition's score that comes from its description
     * @param negationPenalty   taken off a transition whose examples mostly agree when the caller negates, and
     *                          off one whose examples mostly refuse when the caller agrees by negating
     */
    public record Tuning(double threshold, double margin, double descriptionWeight, double negationPenalty) {
    }

    private static final double AGREEING_WEIGHT = 4;

    /** Unrelated talk, to measure each state's floor by, and to compete with its transitions. */
    private static final List<String> UNRELATED_TALK = BundledYaml.read("parley/unrelated-talk.yaml");

    private final SalesScript script;
    private final EmbeddingModel embeddings;
    private final Tuning tuning;
    /** Per state that takes a turn, the transitions open there, embedded once. */
    private final Map<String, List<Candidate>> open = new HashMap<>();
    /** Per state, how close unrelated talk comes to its transitions: scores are measured up from there. */
    private final Map<String, Double> floors = new HashMap<>();
    private final List<Embedding> unrelated;

    /**
     * A transition open from a state, as a turn is read against it: its description and examples embedded,
     * whether its examples mostly refuse, and whether it is open everywhere (and so taken with slots missing).
     */
    private record Candidate(SalesScript.Transition transition, Embedding when, List<Embedding> examples,
                            boolean negative, boolean anytime) {
    }

    public OfflinePolicy(SalesScript script, EmbeddingModel embeddings, Tuning tuning) {
        this.script = script;
        this.embeddings = embeddings;
        this.tuning = tuning;
        Map<String, Embedding> embedded = new HashMap<>();
        script.states().forEach((name, state) -> {
            if (state.terminal()) {
                return;
            }
            List<Candidate> candidates = new ArrayList<>();
            for (SalesScript.Transition transition : script.transitionsFrom(name)) {
                candidates.add(new Candidate(transition, embedded.computeIfAbsent(transition.when(), this::embed),
                        transition.examples().stream().map(e -> embedded.computeIfAbsent(e, this::embed)).toList(),
                        Negation.mostlyNegative(transition.examples().isEmpty() ? List.of(transition.when())
                                : transition.examples()),
                        script.anytime().contains(transition)));
            }
            open.put(name, List.copyOf(candidates));
        });
        unrelated = UNRELATED_TALK.stream().map(this::embed).toList();
        open.keySet().forEach(name -> floors.put(name, unrelated.stream()
                .mapToDouble(talk -> best(name, new Heard(talk, false, false)).best().score()).average().orElse(0)));
    }

    /** Starts reading {@code said} ahead of the turn's end, when the embeddings can. */
    public void anticipate(String said) {
        if (embeddings instanceof ReadAheadEmbeddings ahead) {
            ahead.anticipate(said);
        }
    }

    @Override
    public void close() {
        if (embeddings instanceof ReadAheadEmbeddings ahead) {
            ahead.close();
        }
    }

    private Embedding embed(String text) {
        return embeddings.embed(text).content();
    }

    public Decision decide(String state, String said, Map<String, Object> collected, CallerCalendar calendar) {
        SalesScript.State current = script.states().get(state);
        Map<String, Object> slots = new LinkedHashMap<>(collected);
        current.slots().forEach((name, slot) -> {
            Optional<Object> value = SlotParsers.parse(slot, said, calendar);
            value.ifPresent(v -> slots.put(name, v));
        });

        Heard heard = new Heard(embed(said.isBlank() ? "..." : said), Negation.negative(said),
                Negation.agreesByNegating(said));
        Best found = best(state, heard);
        Scored best = found.best;
        double floor = floors.get(state);
        double bestScore = best == null ? 0 : calibrated(best.score, floor);
        double second = found.second == null ? -1 : calibrated(found.second.score, floor);
        // Talk that moves no call anywhere competes too: words nearer to it than to a transition move nothing.
        double unrelatedTalk = -1;
        for (Embedding talk : unrelated) {
            unrelatedTalk = Math.max(unrelatedTalk, calibrated(CosineSimilarity.between(heard.embedding(), talk), floor));
        }
        second = Math.max(second, unrelatedTalk);
        boolean anytime = best != null && best.candidate.anytime();
        boolean clear = best != null && bestScore >= tuning.threshold() && bestScore - second >= tuning.margin();
        // Words that give what the state asks for ("Tuesday at 10" when asked for a time) answer it, whatever
        // else they sound like ("call me next week").
        boolean answered = !current.slots().isEmpty() && requiredFilled(current, slots) && !requiredFilled(current, collected);
        if (clear && !answered && (anytime || requiredFilled(current, slots))) {
            SalesScript.Transition taken = best.candidate.transition();
            return new Decision(taken.to(), slots, String.format("matched \"%s\" (%.2f, next %.2f)", taken.when(),
                    bestScore, second), bestScore, true);
        }
        List<String> missing = missing(current, slots);
        if (!missing.isEmpty()) {
            return new Decision(state, slots, "still needs " + missing, bestScore, false);
        }
        // A state that only collects slots moves on by its one transition once they are in.
        List<SalesScript.Transition> own = current.transitions();
        if (own.size() == 1 && own.get(0).examples().isEmpty() && !current.slots().isEmpty()) {
            return new Decision(own.get(0).to(), slots, "collected " + current.slots().keySet(), 1.0, true);
        }
        String why = best == null ? "no transition is open"
                : bestScore < tuning.threshold() ? String.format("nothing matched well enough (best %.2f)", bestScore)
                : String.format("\"%s\" (%.2f) was not clear of the next (%.2f)",
                        best.candidate.transition().when(), bestScore, second);
        return new Decision(state, slots, why, bestScore, false);
    }

    private record Scored(Candidate candidate, double score) {
    }

    private record Best(Scored best, Scored second) {
    }

    /** What the caller said, embedded, and whether it negates, or agrees by negating ("I don't mind"). */
    private record Heard(Embedding embedding, boolean negates, boolean agreesByNegating) {
    }

    /**
     * 0 where unrelated talk lands in this state on average, 1 for the very words of an example; below 0 for
     * words further off than that, still told apart by how far.
     */
    private static double calibrated(double score, double floor) {
        return (score - floor) / (1 - floor);
    }

    /** The best and second-best states to go to, transitions to the same state counting as one. */
    private Best best(String state, Heard heard) {
        Map<String, Scored> byState = new LinkedHashMap<>();
        for (Candidate candidate : open.get(state)) {
            byState.merge(candidate.transition().to(), score(candidate, heard), (a, b) -> a.score >= b.score ? a : b);
        }
        Scored best = null;
        Scored second = null;
        for (Scored scored : byState.values()) {
            if (best == null || scored.score > best.score) {
                second = best;
                best = scored;
            } else if (second == null || scored.score > second.score) {
                second = scored;
            }
        }
        return new Best(best, second);
    }

    private Scored score(Candidate candidate, Heard heard) {
        double description = CosineSimilarity.between(heard.embedding(), candidate.when());
        double score = description;
        if (!candidate.examples().isEmpty()) {
            double nearest = -1;
            for (Embedding example : candidate.examples()) {
                nearest = Math.max(nearest, CosineSimilarity.between(heard.embedding(), example));
            }
            score = (1 - tuning.descriptionWeight()) * nearest + tuning.descriptionWeight() * description;
        }
        if (heard.agreesByNegating() && candidate.negative()) {
            // "I wouldn't say no" is a yes said with the words of a no: the embedding hears the no, so the phrase,
            // a sure sign, weighs more than a bare "not" does.
            score -= AGREEING_WEIGHT * tuning.negationPenalty();
        } else if (heard.negates() && !candidate.negative()) {
            score -= tuning.negationPenalty();
        }
        return new Scored(candidate, score);
    }

    private static boolean requiredFilled(SalesScript.State state, Map<String, ?> slots) {
        return missing(state, slots).isEmpty();
    }

    private static List<String> missing(SalesScript.State state, Map<String, ?> slots) {
        List<String> missing = new ArrayList<>();
        state.slots().forEach((name, slot) -> {
            if (slot.required() && !slots.containsKey(name)) {
                missing.add(name);
            }
        });
        return missing;
    }
}
