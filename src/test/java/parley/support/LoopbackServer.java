package parley.support;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;

/** A WebSocket server on a free loopback port, for the stand-ins that play a provider in tests. */
public final class LoopbackServer implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;

    public LoopbackServer(Handler<ServerWebSocket> accept) throws Exception {
        this.server = vertx.createHttpServer().webSocketHandler(accept)
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public URI url(String path) {
        return URI.create("ws://127.0.0.1:" + server.actualPort() + path);
    }

    /** The handshake's headers, names in lower case. */
    public static Map<String, String> headers(ServerWebSocket socket) {
        Map<String, String> headers = new ConcurrentHashMap<>();
        socket.headers().forEach(header -> headers.put(header.getKey().toLowerCase(), header.getValue()));
        return headers;
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
