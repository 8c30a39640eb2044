package parley.knowledge;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;

/** One all-MiniLM-L6-v2 for the whole test run: loading it takes seconds, using it milliseconds. */
final class MiniLm {

    private static EmbeddingModel model;

    private MiniLm() {
    }

    static synchronized EmbeddingModel model() {
        if (model == null) {
            model = new AllMiniLmL6V2EmbeddingModel();
        }
        return model;
    }
}
