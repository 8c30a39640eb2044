package parley.knowledge;

import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.JsonWithInt;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.ScoredPoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.qdrant.QdrantAction;
import org.apache.camel.component.qdrant.QdrantEndpoint;
import org.apache.camel.component.qdrant.QdrantHeaders;

/**
 * Passages kept in a Qdrant collection, every call made through camel-qdrant's {@code qdrant:} producer.
 *
 * <p>camel-qdrant reads the number of search results from the endpoint ({@code maxResults}), so each
 * search limit is its own endpoint. Left to itself each endpoint would open its own gRPC channel; they
 * are all handed this store's one client instead, which also carries the key, TLS and a deadline.
 */
public final class QdrantPassageStore implements PassageStore {

    /** A deadline on every call, so that a Qdrant that accepts connections but never answers cannot hang a call. */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    /** Points per upsert: keeps each gRPC message well under Qdrant's 32 MB default. */
    static final int UPSERT_BATCH = 64;

    private static final String SOURCE = "source";
    private static final String TEXT = "text";

    private final CamelContext camel;
    private final ProducerTemplate producer;
    private final QdrantClient client;
    private final String endpointUri;
    private final String where;
    private final Set<QdrantEndpoint> endpoints = ConcurrentHashMap.newKeySet();

    public QdrantPassageStore(CamelContext camel, KnowledgeSettings settings) {
        if (settings.embeddedStore()) {
            throw new IllegalArgumentException("No Qdrant host configured");
        }
        this.camel = camel;
        this.where = "Qdrant at " + settings.qdrantHost() + ":" + settings.qdrantPort() + " (collection "
                + settings.collection() + ")";
        // No version check: the client makes it as a blocking call without a deadline while it is being
        // built, so a Qdrant that accepts connections but never answers would hang Parley's start-up.
        QdrantGrpcClient.Builder grpc = QdrantGrpcClient
                .newBuilder(settings.qdrantHost(), settings.qdrantPort(), settings.useTls(), false)
                .withTimeout(CALL_TIMEOUT);
        if (!settings.apiKey().isEmpty()) {
            grpc.withApiKey(settings.apiKey());
        }
        this.client = new QdrantClient(grpc.build());
        // Host, port and TLS are in the URI although the client already knows them: Camel keeps one
        // endpoint per URI, and an endpoint keeps the client it was first given, so two stores on the
        // same collection name in different Qdrants must not share endpoints.
        this.endpointUri = "qdrant:" + settings.collection() + "?host=" + settings.qdrantHost()
                + "&port=" + settings.qdrantPort() + "&tls=" + settings.useTls();
        this.producer = camel.createProducerTemplate();
    }

    @Override
    public void prepare(int dimensions) {
        Exchange info = call(QdrantAction.COLLECTION_INFO, 0, null);
        if (info.getException() == null) {
            return;
        }
        if (!hasStatus(info.getException(), Status.Code.NOT_FOUND)) {
            throw unavailable(QdrantAction.COLLECTION_INFO, info.getException());
        }
        VectorParams params = VectorParams.newBuilder().setSize(dimensions).setDistance(Distance.Cosine).build();
        Exchange created = call(QdrantAction.CREATE_COLLECTION, 0, params);
        // Another Parley may have created it between the two calls; that is as good as creating it here.
        if (created.getException() != null && !hasStatus(created.getException(), Status.Code.ALREADY_EXISTS)) {
            throw unavailable(QdrantAction.CREATE_COLLECTION, created.getException());
        }
    }

    @Override
    public void upsert(List<Passage> passages, List<float[]> vectors) {
        if (passages.size() != vectors.size()) {
            throw new IllegalArgumentException(passages.size() + " passages but " + vectors.size() + " vectors");
        }
        for (int from = 0; from < passages.size(); from += UPSERT_BATCH) {
            int to = Math.min(passages.size(), from + UPSERT_BATCH);
            List<PointStruct> points = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                Passage passage = passages.get(i);
                points.add(PointStruct.newBuilder()
                        .setId(id(UUID.fromString(passage.id())))
                        .setVectors(vectors(floats(vectors.get(i))))
                        .putAllPayload(Map.of(SOURCE, value(passage.source()), TEXT, value(passage.text())))
                        .build());
            }
            Exchange done = call(QdrantAction.UPSERT, 0, points);
            if (done.getException() != null) {
                throw unavailable(QdrantAction.UPSERT, done.getException());
            }
        }
    }

    @Override
    public List<Retrieved> nearest(float[] vector, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        Exchange found = call(QdrantAction.SIMILARITY_SEARCH, limit, floats(vector));
        if (found.getException() != null) {
            throw unavailable(QdrantAction.SIMILARITY_SEARCH, found.getException());
        }
        List<?> points = found.getMessage().getBody(List.class);
        List<Retrieved> retrieved = new ArrayList<>(points.size());
        for (Object point : points) {
            ScoredPoint scored = (ScoredPoint) point;
            Map<String, JsonWithInt.Value> payload = scored.getPayloadMap();
            Passage passage = new Passage(scored.getId().getUuid(), text(payload, SOURCE), text(payload, TEXT));
            retrieved.add(new Retrieved(passage, scored.getScore()));
        }
        return retrieved;
    }

    @Override
    public void close() {
        try {
            producer.close();
            // The endpoints hold this store's client, closed below; a later store on the same Qdrant
            // must get endpoints of its own rather than these.
            for (QdrantEndpoint endpoint : endpoints) {
                camel.removeEndpoint(endpoint);
            }
        } catch (Exception e) {
            throw new IllegalStateException("Could not release the endpoints to " + where, e);
        } finally {
            client.close();
        }
    }

    private Exchange call(QdrantAction action, int maxResults, Object body) {
        String uri = endpointUri + (maxResults > 0 ? "&maxResults=" + maxResults : "");
        QdrantEndpoint endpoint = camel.getEndpoint(uri, QdrantEndpoint.class);
        if (endpoints.add(endpoint)) {
            endpoint.getConfiguration().setClient(client);
        }
        return producer.send(uri, exchange -> {
            exchange.getMessage().setHeader(QdrantHeaders.ACTION, action);
            exchange.getMessage().setBody(body);
        });
    }

    private KnowledgeUnavailableException unavailable(QdrantAction action, Exception failure) {
        String reason = statusOf(failure)
                .map(status -> status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription()))
                .orElse(String.valueOf(failure.getMessage()));
        return new KnowledgeUnavailableException(where + " failed " + action + ": " + reason, failure);
    }

    private static boolean hasStatus(Throwable failure, Status.Code code) {
        return statusOf(failure).filter(status -> status.getCode() == code).isPresent();
    }

    private static Optional<Status> statusOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StatusRuntimeException grpc) {
                return Optional.of(grpc.getStatus());
            }
        }
        return Optional.empty();
    }

    private static String text(Map<String, JsonWithInt.Value> payload, String key) {
        JsonWithInt.Value value = payload.get(key);
        return value == null ? "" : value.getStringValue();
    }

    private static List<Float> floats(float[] vector) {
        List<Float> list = new ArrayList<>(vector.length);
        for (float f : vector) {
            list.add(f);
        }
        return list;
    }
}
