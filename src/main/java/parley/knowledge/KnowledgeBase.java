package parley.knowledge;

import dev.langchain4j.model.embedding.EmbeddingModel;
import java.util.List;

/** Finds the passages that answer a caller's question, closest first, each with where it came from. */
public final class KnowledgeBase {

    private final EmbeddingModel model;
    private final PassageStore store;

    public KnowledgeBase(EmbeddingModel model, PassageStore store) {
        this.model = model;
        this.store = store;
    }

    /**
     * @throws KnowledgeUnavailableException if the store cannot be reached or refuses the search
     */
    public List<Retrieved> search(String question, int limit) {
        if (question.isBlank()) {
            return List.of();
        }
        return store.nearest(model.embed(question).content().vector(), limit);
    }
}
