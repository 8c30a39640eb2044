package parley.stt;

import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A local server on Deepgram's live endpoint whose every move the test scripts: it records each connection's
 * handshake and frames and sends, refuses or closes on command.
 */
final class ScriptedDeepgram implements AutoCloseable {

    /** One frame from the client: binary audio or a text message, in arrival order, with when it arrived. */
    record Frame(byte[] audio, String text, long receivedNanos) {
        boolean isText() {
            return text != null;
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final BlockingQueue<Connection> connections = new LinkedBlockingQueue<>();
    private final AtomicInteger handshakes = new AtomicInteger();
    private volatile CompletableFuture<Void> handshakesHeld = CompletableFuture.completedFuture(null);
    private volatile int refusals;

    ScriptedDeepgram() throws Exception {
        // Frames up to 1 MiB, so that a test can fill the socket's buffers in a few sends.
        server = vertx.createHttpServer(new HttpServerOptions().setMaxWebSocketFrameSize(1 << 20)
                        .setMaxWebSocketMessageSize(1 << 20))
                .requestHandler(this::handshake)
                .listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    URI url() {
        return URI.create("ws://127.0.0.1:" + server.actualPort() + "/v1/listen");
    }

    /** Handshakes go unanswered until {@link #releaseHandshakes()}. */
    void holdHandshakes() {
        handshakesHeld = new CompletableFuture<>();
    }

    void releaseHandshakes() {
        handshakesHeld.complete(null);
    }

    /** The next {@code count} handshakes are refused with 400 and a {@code dg-error} header, as Deepgram does. */
    void refuseHandshakes(int count) {
        refusals = count;
    }

    int handshakes() {
        return handshakes.get();
    }

    Connection nextConnection() throws InterruptedException {
        Connection c = connections.poll(10, TimeUnit.SECONDS);
        if (c == null) {
            throw new AssertionError("the client did not connect");
        }
        return c;
    }

    /** True if no further connection arrives within {@code wait}. */
    boolean noFurtherConnection(Duration wait) throws InterruptedException {
        return connections.poll(wait.toMillis(), TimeUnit.MILLISECONDS) == null;
    }

    private void handshake(HttpServerRequest request) {
        handshakes.incrementAndGet();
        request.pause();
        Runnable answer = () -> {
            if (refusals > 0) {
                refusals--;
                request.response().setStatusCode(400).putHeader("dg-request-id", "req-refused")
                        .putHeader("dg-error", "Bad Request: scripted refusal").end();
                return;
            }
            String path = request.path();
            String query = request.query();
            MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
            request.toWebSocket().onSuccess(ws -> connections.add(new Connection(ws, path, query, headers)));
        };
        Context context = vertx.getOrCreateContext();
        handshakesHeld.thenRun(() -> context.runOnContext(v -> answer.run()));
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static final class Connection {
        final String path;
        final String query;
        final MultiMap headers;
        private final ServerWebSocket socket;
        private final List<Frame> frames = new ArrayList<>();
        private final ByteArrayOutputStream audio = new ByteArrayOutputStream();
        private boolean closed;

        Connection(ServerWebSocket socket, String path, String query, MultiMap headers) {
            this.socket = socket;
            this.path = path;
            this.query = query;
            this.headers = headers;
            socket.binaryMessageHandler(b -> record(new Frame(b.getBytes(), null, System.nanoTime())));
            socket.textMessageHandler(t -> record(new Frame(null, t, System.nanoTime())));
            socket.closeHandler(v -> {
                synchronized (this) {
                    closed = true;
                    notifyAll();
                }
            });
        }

        private synchronized void record(Frame frame) {
            frames.add(frame);
            if (frame.audio() != null) {
                audio.writeBytes(frame.audio());
            }
            notifyAll();
        }

        synchronized List<Frame> frames() {
            return List.copyOf(frames);
        }

        synchronized byte[] audio() {
            return audio.toByteArray();
        }

        synchronized List<String> texts() {
            return frames.stream().filter(Frame::isText).map(Frame::text).toList();
        }

        void send(String json) {
            socket.writeTextMessage(json);
        }

        void sendBinary(byte[] bytes) {
            socket.writeBinaryMessage(Buffer.buffer(bytes));
        }

        void close(int code, String reason) {
            socket.close((short) code, reason);
        }

        /** Reads nothing more from the socket, as a hung server does: the client's sends back up in TCP. */
        void stopReading() {
            socket.pause();
        }

        /** Waits until the recorded frames satisfy {@code condition}. */
        synchronized void await(Predicate<Connection> condition, String what) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!condition.test(this)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("timed out waiting for " + what + "; frames: " + describe());
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        synchronized void awaitAudio(int bytes) throws InterruptedException {
            await(c -> c.audio.size() >= bytes, bytes + " bytes of audio");
        }

        synchronized void awaitText(String type) throws InterruptedException {
            await(c -> c.texts().stream().anyMatch(t -> t.contains("\"" + type + "\"")), type);
        }

        synchronized void awaitClosed() throws InterruptedException {
            await(c -> c.closed, "the socket to close");
        }

        private String describe() {
            return frames.size() + " frames, " + audio.size() + " audio bytes, texts " + texts();
        }
    }
}
