package parley.knowledge;

import java.util.Objects;

/**
 * A passage found for a question.
 *
 * @param score cosine similarity between the question and the passage, from -1 to 1, whichever store
 *     answered
 */
public record Retrieved(Passage passage, double score) {

    public Retrieved {
        Objects.requireNonNull(passage, "passage");
    }
}
