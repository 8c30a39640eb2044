package parley.conversation;

import java.util.ArrayList;
import java.util.List;

import dev.langchain4j.model.embedding.EmbeddingModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** A state's classifier, trained on a handful of phrases, reads words it was not trained on. */
class TurnClassifierTest {

    private static final List<List<String>> PHRASES = List.of(
            List.of("Sure, go ahead.", "Yes, I have a minute.", "Okay, what is it about?", "Yeah, fire away."),
            List.of("Not interested.", "No thanks.", "We don't need anything.", "I'll pass."),
            List.of("Hold on a second.", "Sorry, what was that?", "The weather is awful today.", "Hmm."));
    private static EmbeddingModel model;

    @BeforeAll
    static void load() {
        model = UnderstandingModel.BGE_SMALL_EN_V15_Q.load();
    }

    private static TurnClassifier trained() {
        List<TurnClassifier.Sample> samples = new ArrayList<>();
        for (int label = 0; label < PHRASES.size(); label++) {
            for (String phrase : PHRASES.get(label)) {
                samples.add(new TurnClassifier.Sample(vector(phrase), TurnClassifier.words(phrase), label));
            }
        }
        return new TurnClassifier(PHRASES.size(), samples);
    }

    private static double[] read(TurnClassifier classifier, String said) {
        return classifier.likelihoods(vector(said), TurnClassifier.words(said));
    }

    private static float[] vector(String text) {
        return model.embed(text).content().vector();
    }

    @Test
    void readsNewWordsByTheirMeaningAndTheirWords() {
        TurnClassifier classifier = trained();
        double[] agrees = read(classifier, "Sure, I'm just sitting at my desk anyway.");
        double[] refuses = read(classifier, "No, we're fine as we are.");

        assertThat(agrees[0]).isGreaterThan(Math.max(agrees[1], agrees[2]));
        assertThat(refuses[1]).isGreaterThan(Math.max(refuses[0], refuses[2]));
        assertThat(agrees[0] + agrees[1] + agrees[2]).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void trainingTheSameWayGivesTheSameReading() {
        assertThat(read(trained(), "Okay then.")).containsExactly(read(trained(), "Okay then."));
    }

    @Test
    void fillersDoNotCountAsTheOpeningWord() {
        assertThat(TurnClassifier.words("Um, sure.")).contains(TurnClassifier.words("Sure."));
    }
}
