package parley.knowledge;

import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where knowledge passages are kept: {@code parley.knowledge.*}, e.g. {@code PARLEY_KNOWLEDGE_QDRANT_HOST}.
 *
 * @param qdrantHost Qdrant's host; empty keeps passages in the embedded in-memory store instead
 * @param qdrantPort Qdrant's gRPC port (6334 by default; camel-qdrant speaks gRPC, not REST)
 * @param apiKey sent as Qdrant's {@code api-key}; empty sends none
 * @param collection the Qdrant collection; created with 384-dimension cosine vectors when missing
 * @param useTls whether the gRPC channel is TLS, as Qdrant Cloud requires
 */
@ConfigurationProperties("parley.knowledge")
public record KnowledgeSettings(@DefaultValue("") String qdrantHost, @DefaultValue("6334") int qdrantPort,
        @DefaultValue("") String apiKey, @DefaultValue(KnowledgeSettings.DEFAULT_COLLECTION) String collection,
        @DefaultValue("false") boolean useTls) {

    public static final int QDRANT_GRPC_PORT = 6334;
    public static final String DEFAULT_COLLECTION = "parley-knowledge";

    public KnowledgeSettings {
        Objects.requireNonNull(qdrantHost, "qdrantHost");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(collection, "collection");
        if (collection.isBlank()) {
            throw new IllegalArgumentException("collection must not be blank");
        }
        if (!qdrantHost.isBlank() && (qdrantPort < 1 || qdrantPort > 65535)) {
            throw new IllegalArgumentException("qdrantPort must be 1-65535, got " + qdrantPort);
        }
    }

    /** No Qdrant: passages live in memory for as long as Parley runs. */
    public static KnowledgeSettings embedded() {
        return new KnowledgeSettings("", QDRANT_GRPC_PORT, "", DEFAULT_COLLECTION, false);
    }

    /** A Qdrant reached in plain text without a key, as a local one usually is. */
    public static KnowledgeSettings qdrant(String host, int port) {
        return new KnowledgeSettings(host, port, "", DEFAULT_COLLECTION, false);
    }

    public boolean embeddedStore() {
        return qdrantHost.isBlank();
    }
}
