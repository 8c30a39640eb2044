package parley.conversation;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.e5smallv2q.E5SmallV2QuantizedEmbeddingModel;
import dev.langchain4j.model.output.Response;

/**
 * The sentence-embedding models that run in process (their ONNX files and tokenizers ship in their jars), any of
 * which can compare what a caller said with a script's examples. E5 was trained with every text marked as a
 * "query: " or a "passage: "; comparing a caller's words with examples is query against query.
 */
public enum UnderstandingModel {

    ALL_MINILM_L6_V2("all-minilm-l6-v2", "", AllMiniLmL6V2EmbeddingModel::new),
    ALL_MINILM_L6_V2_Q("all-minilm-l6-v2-q", "", AllMiniLmL6V2QuantizedEmbeddingModel::new),
    BGE_SMALL_EN_V15_Q("bge-small-en-v1.5-q", "", BgeSmallEnV15QuantizedEmbeddingModel::new),
    E5_SMALL_V2_Q("e5-small-v2-q", "query: ", E5SmallV2QuantizedEmbeddingModel::new);

    private final String id;
    private final String prefix;
    private final Supplier<EmbeddingModel> loader;

    UnderstandingModel(String id, String prefix, Supplier<EmbeddingModel> loader) {
        this.id = id;
        this.prefix = prefix;
        this.loader = loader;
    }

    public String id() {
        return id;
    }

    /** Loads the model: a few hundred milliseconds, and its weights in memory (20 to 90 MB). */
    public EmbeddingModel load() {
        EmbeddingModel model = loader.get();
        return prefix.isEmpty() ? model : new Prefixed(model, prefix);
    }

    public static UnderstandingModel named(String id) {
        return Arrays.stream(values()).filter(model -> model.id.equalsIgnoreCase(id.trim())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown understanding model '" + id + "' (known: "
                        + Arrays.stream(values()).map(UnderstandingModel::id).toList() + ")"));
    }

    @Override
    public String toString() {
        return id.toLowerCase(Locale.ROOT);
    }

    private record Prefixed(EmbeddingModel model, String prefix) implements EmbeddingModel {
        @Override
        public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
            return model.embedAll(segments.stream().map(segment -> TextSegment.from(prefix + segment.text())).toList());
        }
    }
}
