package parley.knowledge;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CollectionOperationResponse;
import io.qdrant.client.grpc.Collections.CollectionStatus;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.GetCollectionInfoRequest;
import io.qdrant.client.grpc.Collections.GetCollectionInfoResponse;
import io.qdrant.client.grpc.CollectionsGrpc;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointsOperationResponse;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.QueryResponse;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.UpdateResult;
import io.qdrant.client.grpc.Points.UpdateStatus;
import io.qdrant.client.grpc.Points.UpsertPoints;
import io.qdrant.client.grpc.PointsGrpc;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for Qdrant on loopback, speaking its gRPC protocol through the service base classes that
 * ship in Qdrant's Java client. It answers only what Parley asks: collection info and creation, upsert,
 * and query by nearest dense vector, ranked by real cosine similarity. Its errors carry the status codes
 * Qdrant uses (NOT_FOUND for a missing collection, ALREADY_EXISTS, INVALID_ARGUMENT).
 */
final class QdrantStandIn implements AutoCloseable {

    record Collection(int size, Map<String, PointStruct> points) {
    }

    private final Map<String, Collection> collections = new ConcurrentHashMap<>();
    private final AtomicLong operations = new AtomicLong();
    private final Server server;

    QdrantStandIn() throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .addService(new CollectionsService())
                .addService(new PointsService())
                .build()
                .start();
    }

    int port() {
        return server.getPort();
    }

    /** Points held in the collection, or -1 if there is no such collection. */
    int pointCount(String collection) {
        Collection held = collections.get(collection);
        return held == null ? -1 : held.points().size();
    }

    int vectorSize(String collection) {
        return collections.get(collection).size();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private Collection existing(String name) {
        Collection collection = collections.get(name);
        if (collection == null) {
            throw Status.NOT_FOUND.withDescription("Collection `" + name + "` doesn't exist!").asRuntimeException();
        }
        return collection;
    }

    private final class CollectionsService extends CollectionsGrpc.CollectionsImplBase {

        @Override
        public void get(GetCollectionInfoRequest request, StreamObserver<GetCollectionInfoResponse> answer) {
            try {
                Collection collection = existing(request.getCollectionName());
                answer.onNext(GetCollectionInfoResponse.newBuilder()
                        .setResult(CollectionInfo.newBuilder()
                                .setStatus(CollectionStatus.Green)
                                .setPointsCount(collection.points().size()))
                        .build());
                answer.onCompleted();
            } catch (RuntimeException e) {
                answer.onError(e);
            }
        }

        @Override
        public void create(CreateCollection request, StreamObserver<CollectionOperationResponse> answer) {
            var params = request.getVectorsConfig().getParams();
            if (params.getDistance() != Distance.Cosine || params.getSize() < 1) {
                answer.onError(Status.INVALID_ARGUMENT
                        .withDescription("the stand-in keeps only unnamed cosine vectors").asRuntimeException());
                return;
            }
            Collection created = new Collection((int) params.getSize(), new ConcurrentHashMap<>());
            if (collections.putIfAbsent(request.getCollectionName(), created) != null) {
                answer.onError(Status.ALREADY_EXISTS
                        .withDescription("Collection `" + request.getCollectionName() + "` already exists!")
                        .asRuntimeException());
                return;
            }
            answer.onNext(CollectionOperationResponse.newBuilder().setResult(true).build());
            answer.onCompleted();
        }
    }

    private final class PointsService extends PointsGrpc.PointsImplBase {

        @Override
        public void upsert(UpsertPoints request, StreamObserver<PointsOperationResponse> answer) {
            try {
                Collection collection = existing(request.getCollectionName());
                for (PointStruct point : request.getPointsList()) {
                    int size = point.getVectors().getVector().getDense().getDataCount();
                    if (size != collection.size()) {
                        throw Status.INVALID_ARGUMENT.withDescription("Wrong input: Vector dimension error: expected dim: "
                                + collection.size() + ", got " + size).asRuntimeException();
                    }
                }
                for (PointStruct point : request.getPointsList()) {
                    collection.points().put(point.getId().getUuid(), point);
                }
                answer.onNext(PointsOperationResponse.newBuilder()
                        .setResult(UpdateResult.newBuilder()
                                .setOperationId(operations.incrementAndGet())
                                .setStatus(UpdateStatus.Completed))
                        .build());
                answer.onCompleted();
            } catch (RuntimeException e) {
                answer.onError(e);
            }
        }

        @Override
        public void query(QueryPoints request, StreamObserver<QueryResponse> answer) {
            try {
                Collection collection = existing(request.getCollectionName());
                List<Float> query = request.getQuery().getNearest().getDense().getDataList();
                boolean withPayload = request.getWithPayload().getEnable();
                long limit = request.hasLimit() ? request.getLimit() : 10;
                List<ScoredPoint> ranked = collection.points().values().stream()
                        .map(point -> {
                            ScoredPoint.Builder scored = ScoredPoint.newBuilder()
                                    .setId(point.getId())
                                    .setScore(cosine(query, point.getVectors().getVector().getDense().getDataList()));
                            if (withPayload) {
                                scored.putAllPayload(point.getPayloadMap());
                            }
                            return scored.build();
                        })
                        .sorted(Comparator.comparingDouble(ScoredPoint::getScore).reversed())
                        .limit(limit)
                        .toList();
                answer.onNext(QueryResponse.newBuilder().addAllResult(ranked).build());
                answer.onCompleted();
            } catch (RuntimeException e) {
                answer.onError(e);
            }
        }
    }

    static float cosine(List<Float> a, List<Float> b) {
        if (a.size() != b.size()) {
            throw Status.INVALID_ARGUMENT.withDescription("Vector dimension error: expected dim: " + b.size()
                    + ", got " + a.size()).asRuntimeException();
        }
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < a.size(); i++) {
            dot += a.get(i) * b.get(i);
            normA += a.get(i) * a.get(i);
            normB += b.get(i) * b.get(i);
        }
        return (float) (dot / (Math.sqrt(normA) * Math.sqrt(normB)));
    }
}
