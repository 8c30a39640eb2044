package parley.knowledge;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedded store: passages in LangChain4j's {@link InMemoryEmbeddingStore}, for when no Qdrant is
 * configured.
 *
 * <p>It is a real, maintained vector store doing the same exhaustive cosine ranking a small Qdrant
 * collection does, without a port or a second implementation of Qdrant's protocol to keep in step.
 * What it gives up is what a knowledge folder of a few hundred passages does not need: its passages
 * last only as long as Parley runs, to be ingested again after a restart, and no other Parley sees them.
 */
public final class InMemoryPassageStore implements PassageStore {

    private static final String SOURCE = "source";

    private final InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
    private final Object writes = new Object();

    @Override
    public void prepare(int dimensions) {
        // Nothing to create: the store takes vectors of any size.
    }

    @Override
    public void upsert(List<Passage> passages, List<float[]> vectors) {
        if (passages.size() != vectors.size()) {
            throw new IllegalArgumentException(passages.size() + " passages but " + vectors.size() + " vectors");
        }
        if (passages.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>(passages.size());
        List<Embedding> embeddings = new ArrayList<>(passages.size());
        List<TextSegment> segments = new ArrayList<>(passages.size());
        for (int i = 0; i < passages.size(); i++) {
            Passage passage = passages.get(i);
            ids.add(passage.id());
            embeddings.add(Embedding.from(vectors.get(i)));
            segments.add(TextSegment.from(passage.text(), Metadata.from(SOURCE, passage.source())));
        }
        // The store appends whatever it is given, even under an id it holds already; removing first is
        // what makes writing a passage again replace it, as Qdrant's upsert does.
        synchronized (writes) {
            store.removeAll(ids);
            store.addAll(ids, embeddings, segments);
        }
    }

    @Override
    public List<Retrieved> nearest(float[] vector, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        List<EmbeddingMatch<TextSegment>> matches = store.search(EmbeddingSearchRequest.builder()
                .queryEmbedding(Embedding.from(vector))
                .maxResults(limit)
                .build()).matches();
        List<Retrieved> retrieved = new ArrayList<>(matches.size());
        for (EmbeddingMatch<TextSegment> match : matches) {
            TextSegment segment = match.embedded();
            Passage passage = new Passage(match.embeddingId(), segment.metadata().getString(SOURCE), segment.text());
            // The store reports relevance, (cosine + 1) / 2; turned back into cosine it reads like Qdrant's score.
            retrieved.add(new Retrieved(passage, 2 * match.score() - 1));
        }
        return retrieved;
    }

    @Override
    public void close() {
        store.removeAll();
    }
}
