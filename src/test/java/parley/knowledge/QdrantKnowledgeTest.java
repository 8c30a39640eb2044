package parley.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Ingest and retrieval through camel-qdrant, against a Qdrant stand-in on loopback. */
class QdrantKnowledgeTest extends RetrievalContract {

    private QdrantStandIn qdrant;
    private DefaultCamelContext camel;
    private QdrantPassageStore store;
    private KnowledgeIngest ingest;
    private KnowledgeBase knowledge;
    private IngestReport firstIngest;

    @BeforeAll
    void ingestSample() throws IOException {
        qdrant = new QdrantStandIn();
        camel = new DefaultCamelContext();
        camel.start();
        store = new QdrantPassageStore(camel, KnowledgeSettings.qdrant("127.0.0.1", qdrant.port()));
        ingest = new KnowledgeIngest(MiniLm.model(), store);
        knowledge = new KnowledgeBase(MiniLm.model(), store);
        firstIngest = ingest.ingest(SAMPLE);
    }

    @AfterAll
    void stop() throws InterruptedException {
        store.close();
        camel.stop();
        qdrant.close();
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
        IngestReport again = ingest.ingest(SAMPLE);
        assertThat(qdrant.pointCount(KnowledgeSettings.DEFAULT_COLLECTION)).isEqualTo(firstIngest.passages());
        return again;
    }

    @Test
    void theCollectionIsCreatedForMiniLmVectors() {
        assertThat(qdrant.vectorSize(KnowledgeSettings.DEFAULT_COLLECTION)).isEqualTo(384);
        assertThat(qdrant.pointCount(KnowledgeSettings.DEFAULT_COLLECTION)).isEqualTo(firstIngest.passages());
    }

    @Test
    void aQdrantThatIsDownFailsSearchAndIngestAtOnceSayingWhere() throws Exception {
        QdrantStandIn down = new QdrantStandIn();
        int port = down.port();
        down.close();
        try (QdrantPassageStore unreachable = new QdrantPassageStore(camel, KnowledgeSettings.qdrant("127.0.0.1", port))) {
            KnowledgeBase base = new KnowledgeBase(MiniLm.model(), unreachable);
            KnowledgeIngest reader = new KnowledgeIngest(MiniLm.model(), unreachable);

            assertTimeoutPreemptively(Duration.ofSeconds(3), () -> {
                assertThatThrownBy(() -> base.search("How much does it cost?", 3))
                        .isInstanceOf(KnowledgeUnavailableException.class)
                        .hasMessageStartingWith("Qdrant at 127.0.0.1:" + port + " (collection parley-knowledge)")
                        .hasMessageContaining("failed SIMILARITY_SEARCH: UNAVAILABLE");
                assertThatThrownBy(() -> reader.ingest(SAMPLE))
                        .isInstanceOf(KnowledgeUnavailableException.class)
                        .hasMessageContaining("failed COLLECTION_INFO: UNAVAILABLE");
            });
        }
    }

    @Test
    void aQdrantThatNeverAnswersFailsWhenTheCallDeadlinePasses() throws Exception {
        // Accepts connections and then says nothing, as a wedged server or a black-holing proxy would.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                QdrantPassageStore stalled = new QdrantPassageStore(camel,
                        KnowledgeSettings.qdrant("127.0.0.1", silent.getLocalPort()))) {
            List<Socket> accepted = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // The test is over.
                }
            }, "silent-qdrant-stand-in");
            acceptor.start();
            KnowledgeBase base = new KnowledgeBase(MiniLm.model(), stalled);
            long started = System.nanoTime();

            assertTimeoutPreemptively(QdrantPassageStore.CALL_TIMEOUT.plusSeconds(3), () ->
                    assertThatThrownBy(() -> base.search("How much does it cost?", 3))
                            .isInstanceOf(KnowledgeUnavailableException.class)
                            .hasMessageContaining("failed SIMILARITY_SEARCH: DEADLINE_EXCEEDED"));
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .isGreaterThanOrEqualTo(QdrantPassageStore.CALL_TIMEOUT.minusMillis(500));
            silent.close();
            acceptor.join();
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }
}
