package parley.knowledge;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The same retrieval from the embedded store Parley uses when no Qdrant is configured. */
class EmbeddedKnowledgeTest extends RetrievalContract {

    private final InMemoryPassageStore store = new InMemoryPassageStore();
    private final KnowledgeIngest ingest = new KnowledgeIngest(MiniLm.model(), store);
    private final KnowledgeBase knowledge = new KnowledgeBase(MiniLm.model(), store);
    private IngestReport firstIngest;

    @BeforeAll
    void ingestSample() {
        firstIngest = ingest.ingest(SAMPLE);
    }

    @AfterAll
    void stop() {
        store.close();
    }

    @Override
    KnowledgeBase knowledge() {
        return knowledge;
    }

    @Override
    IngestReport firstIngest() {
        return firstIngest;
    }

    @Override
    IngestReport ingestAgain() {
        return ingest.ingest(SAMPLE);
    }
}
