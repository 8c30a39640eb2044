package parley.knowledge;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/**
 * Knowledge retrieval's beans. They are lazy: loading the embedding model takes seconds, and a Parley
 * whose calls never look anything up should not pay for it at start-up.
 */
@Lazy
@Configuration(proxyBeanMethods = false)
public class KnowledgeConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(KnowledgeConfiguration.class);

    /**
     * all-MiniLM-L6-v2, run in process; it ships inside its jar, so nothing is downloaded. Passages already in a
     * shared Qdrant were embedded with it, so it stays whatever model reads callers' words for the script. What
     * callers say is embedded ahead, while their turn winds down.
     */
    @Bean(destroyMethod = "close")
    ReadAheadEmbeddings sentenceEmbeddings() {
        return new ReadAheadEmbeddings(new AllMiniLmL6V2EmbeddingModel());
    }

    /** Qdrant through camel-qdrant when {@code parley.knowledge.qdrant-host} is set, else the embedded store. */
    @Bean(destroyMethod = "close")
    PassageStore passageStore(KnowledgeSettings settings, CamelContext camel) {
        if (settings.embeddedStore()) {
            LOG.info("Knowledge: the embedded in-memory store (parley.knowledge.qdrant-host is not set)");
            return new InMemoryPassageStore();
        }
        LOG.info("Knowledge: Qdrant at {}:{}{}, collection {}", settings.qdrantHost(), settings.qdrantPort(),
                settings.useTls() ? " over TLS" : "", settings.collection());
        return new QdrantPassageStore(camel, settings);
    }

    @Bean
    KnowledgeIngest knowledgeIngest(EmbeddingModel sentenceEmbeddings, PassageStore passageStore) {
        return new KnowledgeIngest(sentenceEmbeddings, passageStore);
    }

    /** The knowledge folder is read at start-up, so the first call can already look things up. */
    @Bean
    org.springframework.boot.ApplicationRunner ingestKnowledge(KnowledgeIngest ingest,
                                                               parley.config.ParleyProperties properties) {
        return args -> {
            String configured = properties.conversation().knowledgeFolder();
            if (configured.isBlank()) {
                return;
            }
            java.nio.file.Path folder = java.nio.file.Path.of(configured);
            if (java.nio.file.Files.isDirectory(folder)) {
                IngestReport report = ingest.ingest(folder);
                LOG.info("Knowledge: {} passages from {} files in {}", report.passages(), report.files(), folder);
            } else {
                LOG.info("Knowledge: no folder at {}; nothing to look up", folder.toAbsolutePath());
            }
        };
    }

    @Bean
    KnowledgeBase knowledgeBase(EmbeddingModel sentenceEmbeddings, PassageStore passageStore) {
        return new KnowledgeBase(sentenceEmbeddings, passageStore);
    }
}
