package parley.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A stand-in for Parley's media endpoint, on a real local WebSocket server: it records what the simulator
 * sends, with arrival times, and lets a test script the agent's side.
 */
final class FakeParley implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final BlockingQueue<Connection> connections = new LinkedBlockingQueue<>();

    /**
     * @param onMessage called on the server's event loop for every text message after it is recorded,
     *     so a script can react to {@code start}, to echoed marks or to the caller's audio
     */
    FakeParley(BiConsumer<Connection, JsonNode> onMessage) throws Exception {
        server = vertx.createHttpServer()
                .requestHandler(this::voiceWebhook)
                .webSocketHandler(socket -> connections.add(new Connection(socket, onMessage)))
                .listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** The voice webhook's requests (signature header, then the form body), as a signed call's Twilio sends them. */
    final BlockingQueue<String[]> webhookRequests = new LinkedBlockingQueue<>();

    /** Answers like Parley's voice webhook: TwiML whose stream parameters include a ticket. */
    private void voiceWebhook(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            webhookRequests.add(new String[]{request.getHeader("X-Twilio-Signature"), body.toString()});
            request.response().putHeader("Content-Type", "text/xml").end("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                    + "<Response><Connect><Stream url=\"" + url() + "\"><Parameter name=\"ParleyTicket\" value=\"t&amp;1\"/>"
                    + "<Parameter name=\"lead\" value=\"from the webhook\"/></Stream></Connect></Response>");
        });
    }

    String url() {
        return "ws://127.0.0.1:" + server.actualPort() + "/twilio/media";
    }

    /** The connection of the call that has been placed. */
    Connection connection() throws InterruptedException {
        Connection c = connections.poll(10, TimeUnit.SECONDS);
        if (c == null) {
            throw new AssertionError("no call reached the fake Parley");
        }
        return c;
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    record Received(long nanos, JsonNode message) {
        String event() {
            return message.path("event").asText();
        }
    }

    final class Connection {
        final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        final String path;
        private final ServerWebSocket socket;
        private final List<Received> received = new ArrayList<>();
        private final List<Long> sentMediaNanos = new ArrayList<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private String streamSid;

        Connection(ServerWebSocket socket, BiConsumer<Connection, JsonNode> onMessage) {
            this.socket = socket;
            this.path = socket.path();
            socket.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
            socket.textMessageHandler(text -> {
                long now = System.nanoTime();
                JsonNode message;
                try {
                    message = JSON.readTree(text);
                } catch (Exception e) {
                    throw new AssertionError("the simulator sent something that is not JSON: " + text, e);
                }
                synchronized (this) {
                    received.add(new Received(now, message));
                    if (message.path("event").asText().equals("start")) {
                        streamSid = message.path("streamSid").asText();
                    }
                }
                onMessage.accept(this, message);
            });
            socket.closeHandler(v -> closed.complete(socket.closeStatusCode() == null ? -1 : (int) socket.closeStatusCode()));
        }

        synchronized List<Received> received() {
            return List.copyOf(received);
        }

        List<Received> received(String event) {
            return received().stream().filter(r -> r.event().equals(event)).toList();
        }

        /** Nanos at which each media message was handed to the socket, in order. */
        synchronized List<Long> sentMediaNanos() {
            return List.copyOf(sentMediaNanos);
        }

        String streamSid() {
            return streamSid;
        }

        void media(byte[] muLaw) {
            ObjectNode m = message("media");
            m.putObject("media").put("payload", Base64.getEncoder().encodeToString(muLaw));
            synchronized (this) {
                sentMediaNanos.add(System.nanoTime());
            }
            socket.writeTextMessage(m.toString());
        }

        void mark(String name) {
            ObjectNode m = message("mark");
            m.putObject("mark").put("name", name);
            socket.writeTextMessage(m.toString());
        }

        void clear() {
            socket.writeTextMessage(message("clear").toString());
        }

        void send(String raw) {
            socket.writeTextMessage(raw);
        }

        void after(long ms, Runnable action) {
            vertx.setTimer(ms, id -> action.run());
        }

        void close(int code) {
            socket.close((short) code);
        }

        private ObjectNode message(String event) {
            return JSON.createObjectNode().put("event", event).put("streamSid", streamSid);
        }
    }
}
