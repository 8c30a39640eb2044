package parley.tts;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A client WebSocket to a speech provider that can be written to before it is open.
 *
 * <p>Turns start sending text the moment the language model produces it, often while the handshake is still
 * running; this socket queues those frames behind the handshake and sends them in order, never blocking the
 * writer. The JDK's WebSocket refuses a second send while one is outstanding, so every send is chained onto
 * the previous one. Messages that arrive in fragments are joined before the {@link Handler} sees them.
 *
 * <p>The handler hears exactly one ending, {@link Handler#onClosed} or {@link Handler#onFailed}, including
 * when the handshake itself fails, unless the socket was {@linkplain #abort() aborted} by its owner.
 */
final class ProviderSocket {

    /** Runs on the HTTP client's threads, one message at a time per socket. */
    interface Handler {
        void onText(String message);

        void onBinary(byte[] message);

        void onClosed(int code, String reason);

        void onFailed(Throwable error);
    }

    /** How long a socket we closed may wait for the provider's closing handshake before it is dropped. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private final Handler handler;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final CompletableFuture<WebSocket> opened;
    private CompletableFuture<WebSocket> sending;

    private ProviderSocket(Handler handler, CompletableFuture<WebSocket> opened) {
        this.handler = handler;
        this.opened = opened;
        this.sending = opened;
    }

    static ProviderSocket open(HttpClient client, URI uri, Map<String, String> headers, Duration connectTimeout,
            Handler handler) {
        CompletableFuture<WebSocket> opened = new CompletableFuture<>();
        ProviderSocket socket = new ProviderSocket(handler, opened);
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(connectTimeout);
        headers.forEach(builder::header);
        builder.buildAsync(uri, socket.new Receiver()).whenComplete((webSocket, error) -> {
            if (error != null) {
                opened.completeExceptionally(error);
                socket.end(() -> handler.onFailed(unwrap(error)));
            } else {
                opened.complete(webSocket);
            }
        });
        return socket;
    }

    /** Queues a text frame behind everything sent before; a failed send ends the socket as failed. */
    synchronized void send(String text) {
        sending = sending.thenCompose(webSocket -> webSocket.sendText(text, true));
        sending.whenComplete((webSocket, error) -> {
            if (error != null) {
                end(() -> handler.onFailed(unwrap(error)));
            }
        });
    }

    /**
     * Starts the closing handshake after everything queued has been sent. The owner has no more use for the
     * socket, so the handler hears nothing further; a provider that never answers the close is cut off.
     */
    synchronized void close() {
        ended.set(true);
        sending.thenCompose(webSocket -> webSocket.sendClose(WebSocket.NORMAL_CLOSURE, ""))
                .whenComplete((webSocket, error) -> {
                    if (error != null) {
                        abort();
                    }
                });
        CompletableFuture.delayedExecutor(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS).execute(this::abort);
    }

    /** Drops the connection at once, without a closing handshake; the handler hears nothing further. */
    void abort() {
        ended.set(true);
        opened.thenAccept(WebSocket::abort);
    }

    private void end(Runnable ending) {
        if (ended.compareAndSet(false, true)) {
            ending.run();
        }
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private final class Receiver implements WebSocket.Listener {

        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                if (!ended.get()) {
                    handler.onText(message);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] part = new byte[data.remaining()];
            data.get(part);
            binary.writeBytes(part);
            if (last) {
                byte[] message = binary.toByteArray();
                binary.reset();
                if (!ended.get()) {
                    handler.onBinary(message);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            end(() -> handler.onClosed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            end(() -> handler.onFailed(error));
        }
    }
}
