package parley.knowledge;

import org.junit.jupiter.api.Test;
import parley.Ingest;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code parley ingest FOLDER}: the sample folder into a Qdrant (the gRPC stand-in) through camel-qdrant. */
class IngestCommandTest {

    @Test
    void loadsAFolderIntoTheSharedQdrant() throws Exception {
        try (QdrantStandIn qdrant = new QdrantStandIn()) {
            int exit = Ingest.run(new String[]{"knowledge", "--parley.knowledge.qdrant-host=127.0.0.1",
                    "--parley.knowledge.qdrant-port=" + qdrant.port()});
            assertThat(exit).isZero();
            assertThat(qdrant.pointCount(KnowledgeSettings.DEFAULT_COLLECTION)).isEqualTo(16);
        }
    }

    @Test
    void refusesWithoutAQdrantOrAFolder() {
        assertThat(Ingest.run(new String[]{"knowledge"})).isEqualTo(2);
        assertThat(Ingest.run(new String[]{"no-such-folder"})).isEqualTo(2);
        assertThat(Ingest.run(new String[0])).isEqualTo(2);
    }
}
