package parley.conversation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.langchain4j.model.embedding.EmbeddingModel;
import parley.knowledge.ReadAheadEmbeddings;

/**
 * Reads a caller's turn against the script with no language model. Each state that takes a turn has its own
 * {@link TurnClassifier}, trained as the script loads on what callers say there: the examples and description
 * ({@code when}) of each transition open from it, common intents among them, and unrelated talk (see
 * {@code parley/unrelated-talk.yaml}), which moves the call nowhere. A turn is read as its sentence embedding (a model
 * run in process) and its words. The likeliest transition is taken only when it is likely enough and clearly ahead of
 * both the second likeliest and unrelated talk. Slots are read by typed parsers; words that give what the state asks
 * for are its answer; a state whose required slots are missing asks again.
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
     * @param threshold the least likelihood a transition is taken at
     * @param margin    how far ahead of the second likeliest transition, and of unrelated talk, the best must be
     */
    public record Tuning(double threshold, double margin) {
    }

    /** Unrelated talk: the class of turns that move the call nowhere, in every state. */
    private static final List<String> UNRELATED_TALK = BundledYaml.read("parley/unrelated-talk.yaml");

    private final SalesScript script;
    private final EmbeddingModel embeddings;
    private final Tuning tuning;
    /** Per state that takes a turn, its classifier and the places it can send the call. */
    private final Map<String, Reader> readers;

    /**
     * A state's classifier, and what each of its classes means: class i goes to {@code destinations[i]}; the last
     * class is unrelated talk.
     */
    private record Reader(TurnClassifier classifier, List<Destination> destinations) {
    }

    /**
     * A state the call can go to from another: the transition that leads there, and whether one open everywhere
     * does (it is then taken with the state's slots missing).
     */
    private record Destination(SalesScript.Transition transition, boolean anytime) {
    }

    /**
     * @param phraseVectors where the vectors of the phrases learnt from are kept between starts (see
     *                      {@link PhraseVectors}); empty: they are embedded at every start
     */
    public OfflinePolicy(SalesScript script, EmbeddingModel embeddings, Tuning tuning, Optional<Path> phraseVectors) {
        this.script = script;
        this.embeddings = embeddings;
        this.tuning = tuning;
        Map<String, Map<String, Destination>> destinationsFrom = new LinkedHashMap<>();
        Map<String, Map<String, List<String>>> saidIn = new LinkedHashMap<>();
        script.states().forEach((name, state) -> {
            if (state.terminal()) {
                return;
            }
            Map<String, Destination> destinations = new LinkedHashMap<>();
            Map<String, List<String>> said = new LinkedHashMap<>();
            for (SalesScript.Transition transition : script.transitionsFrom(name)) {
                boolean anytime = script.anytime().contains(transition);
                destinations.merge(transition.to(), new Destination(transition, anytime),
                        (a, b) -> new Destination(a.transition(), a.anytime() || b.anytime()));
                List<String> phrases = said.computeIfAbsent(transition.to(), to -> new ArrayList<>());
                phrases.add(transition.when());
                phrases.addAll(transition.examples());
            }
            said.put(null, UNRELATED_TALK);
            destinationsFrom.put(name, destinations);
            saidIn.put(name, said);
        });
        Map<String, float[]> embedded = PhraseVectors.of(saidIn.values().stream()
                .flatMap(said -> said.values().stream()).flatMap(List::stream).distinct().toList(), embeddings,
                phraseVectors);
        Map<String, Reader> trained = new ConcurrentHashMap<>();
        // States are trained side by side: a second, on two cores, for the sample script.
        saidIn.entrySet().parallelStream().forEach(entry -> {
            String name = entry.getKey();
            Map<String, List<String>> said = entry.getValue();
            List<TurnClassifier.Sample> samples = new ArrayList<>();
            int label = 0;
            for (List<String> phrases : said.values()) {
                for (String phrase : phrases) {
                    samples.add(new TurnClassifier.Sample(embedded.get(phrase), TurnClassifier.words(phrase), label));
                }
                label++;
            }
            trained.put(name, new Reader(new TurnClassifier(said.size(), samples),
                    List.copyOf(destinationsFrom.get(name).values())));
        });
        this.readers = Map.copyOf(trained);
    }

    private OfflinePolicy(OfflinePolicy trained, Tuning tuning) {
        this.script = trained.script;
        this.embeddings = trained.embeddings;
        this.tuning = tuning;
        this.readers = trained.readers;
    }

    /** This policy read with other settings, without training again. */
    public OfflinePolicy tuned(Tuning other) {
        return new OfflinePolicy(this, other);
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

    private float[] embed(String text) {
        return embeddings.embed(text).content().vector();
    }

    public Decision decide(String state, String said, Map<String, Object> collected, CallerCalendar calendar) {
        SalesScript.State current = script.states().get(state);
        Map<String, Object> slots = new LinkedHashMap<>(collected);
        current.slots().forEach((name, slot) -> {
            Optional<Object> value = SlotParsers.parse(slot, said, calendar);
            value.ifPresent(v -> slots.put(name, v));
        });

        Reader reader = readers.get(state);
        double[] likelihood = reader.classifier().likelihoods(embed(said.isBlank() ? "..." : said),
                TurnClassifier.words(said));
        int unrelated = reader.destinations().size();
        int likeliest = 0;
        for (int c = 1; c < unrelated; c++) {
            if (likelihood[c] > likelihood[likeliest]) {
                likeliest = c;
            }
        }
        double bestScore = likelihood[likeliest];
        double second = 0;
        for (int c = 0; c <= unrelated; c++) {
            if (c != likeliest) {
                second = Math.max(second, likelihood[c]);
            }
        }
        Destination best = reader.destinations().get(likeliest);
        boolean anytime = best.anytime();
        boolean clear = bestScore >= tuning.threshold() && bestScore - second >= tuning.margin();
        // Words that give what the state asks for ("Tuesday at 10" when asked for a time) answer it, whatever
        // else they sound like ("call me next week").
        boolean answered = !current.slots().isEmpty() && requiredFilled(current, slots) && !requiredFilled(current, collected);
        if (clear && !answered && (anytime || requiredFilled(current, slots))) {
            SalesScript.Transition taken = best.transition();
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
        String why = bestScore < tuning.threshold() ? String.format("nothing matched well enough (best %.2f)", bestScore)
                : String.format("\"%s\" (%.2f) was not clear of the next (%.2f)", best.transition().when(), bestScore,
                        second);
        return new Decision(state, slots, why, bestScore, false);
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
