package parley.tts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import parley.audio.OfflineVoice;
import parley.support.LoopbackServer;

/**
 * Deepgram Aura's speak WebSocket as documented, on a local port, speaking with the offline voice.
 *
 * <p>It greets with {@code Metadata}, buffers {@code Speak} text and speaks it only when flushed, as binary
 * frames of 100 ms followed by {@code Flushed}. More than 20 flushes in 60 s are refused with a
 * {@code Warning}. {@code Clear} drops the buffer and the audio not yet sent and answers {@code Cleared};
 * {@code Close} closes the socket once the work before it is done. Faults are injected by text.
 */
final class AuraStandIn implements AutoCloseable {

    static final int CHUNK_BYTES = 800;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long CHUNK_GAP_MS = 3;
    private static final int FLUSHES_PER_MINUTE = 20;

    /** One accepted socket: its handshake and every text frame the client sent, in order. */
    record Connection(String path, String query, Map<String, String> headers, List<String> messages,
            List<String> warnings) {}

    private final OfflineVoice voice;
    private final LoopbackServer server;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final Set<String> errorOn = ConcurrentHashMap.newKeySet();
    private final Set<String> dropOn = ConcurrentHashMap.newKeySet();
    private volatile long firstByteDelayMs;
    private volatile boolean garbage;

    AuraStandIn(OfflineVoice voice) throws Exception {
        this.voice = voice;
        this.server = new LoopbackServer(this::accept);
    }

    URI url() {
        return server.url("/v1/speak");
    }

    List<Connection> connections() {
        return List.copyOf(connections);
    }

    /** Flushing text that contains this answers with an {@code Error} and closes the socket with 1011. */
    void errorOn(String text) {
        errorOn.add(text);
    }

    /** Flushing text that contains this drops the socket with 1011 after its first audio frame. */
    void dropOn(String text) {
        dropOn.add(text);
    }

    /** Every flush's audio starts only after this delay. */
    void delayFirstByte(long millis) {
        firstByteDelayMs = millis;
    }

    /** Every audio frame is preceded by text frames a client must ignore. */
    void sendGarbage() {
        garbage = true;
    }

    @Override
    public void close() throws Exception {
        server.close();
    }

    private void accept(ServerWebSocket socket) {
        Map<String, String> headers = LoopbackServer.headers(socket);
        Connection connection = new Connection(socket.path(), socket.query(), headers, new CopyOnWriteArrayList<>(),
                new CopyOnWriteArrayList<>());
        connections.add(connection);
        Session session = new Session(socket, connection);
        socket.textMessageHandler(text -> {
            connection.messages().add(text);
            session.receive(text);
        });
        socket.closeHandler(ignored -> session.worker.shutdownNow());
        ObjectNode metadata = JSON.createObjectNode();
        metadata.put("type", "Metadata");
        metadata.put("request_id", UUID.randomUUID().toString());
        metadata.put("model_name", "aura-2-thalia-en");
        metadata.put("model_version", "2025-04-07.0");
        metadata.put("model_uuid", UUID.randomUUID().toString());
        socket.writeTextMessage(metadata.toString());
    }

    private final class Session {

        private final ServerWebSocket socket;
        private final Connection connection;
        /** Speaks one flush at a time, in order; Clear and Close queue behind nothing but act at once. */
        final ExecutorService worker = Executors.newSingleThreadExecutor();
        private final StringBuilder buffer = new StringBuilder();
        private final Deque<Long> flushTimes = new ArrayDeque<>();
        private volatile int clears;
        private int flushed;
        private int cleared;

        Session(ServerWebSocket socket, Connection connection) {
            this.socket = socket;
            this.connection = connection;
        }

        void receive(String text) {
            JsonNode message;
            try {
                message = JSON.readTree(text);
            } catch (Exception e) {
                warn("INVALID_MESSAGE", "Could not parse the message");
                return;
            }
            switch (message.path("type").asText("")) {
                case "Speak" -> {
                    if (!message.path("text").isTextual()) {
                        warn("INVALID_MESSAGE", "Speak needs text");
                    } else {
                        buffer.append(message.get("text").asText());
                    }
                }
                case "Flush" -> flush();
                case "Clear" -> {
                    clears++;
                    buffer.setLength(0);
                    int sequence = cleared++;
                    worker.execute(() -> sendText("{\"type\":\"Cleared\",\"sequence_id\":" + sequence + "}"));
                }
                case "Close" -> worker.execute(() -> socket.close((short) 1000, "Close requested"));
                default -> warn("INVALID_MESSAGE", "Unknown message type");
            }
        }

        private void flush() {
            long now = System.nanoTime();
            while (!flushTimes.isEmpty() && now - flushTimes.peekFirst() > TimeUnit.SECONDS.toNanos(60)) {
                flushTimes.removeFirst();
            }
            if (flushTimes.size() >= FLUSHES_PER_MINUTE) {
                warn("FLUSH_LIMIT", "Too many flushes; wait until the 60 second window has passed");
                return;
            }
            flushTimes.addLast(now);
            String text = buffer.toString();
            buffer.setLength(0);
            int sequence = flushed++;
            int clearsAtFlush = clears;
            worker.execute(() -> speak(text, sequence, clearsAtFlush));
        }

        /** Runs on the worker. */
        private void speak(String text, int sequence, int clearsAtFlush) {
            if (errorOn.stream().anyMatch(text::contains)) {
                sendText("{\"type\":\"Error\",\"description\":\"Synthesis failed\",\"message\":\"internal\","
                        + "\"variant\":\"INTERNAL_SERVER_ERROR\"}");
                socket.close((short) 1011, "internal error");
                return;
            }
            byte[] audio = voice.speakMuLaw(text);
            pause(firstByteDelayMs);
            boolean drop = dropOn.stream().anyMatch(text::contains);
            for (int offset = 0; offset < audio.length && clears == clearsAtFlush; offset += CHUNK_BYTES) {
                if (garbage) {
                    sendText("this is not json {");
                    sendText("[]");
                    sendText("{\"type\":\"Mystery\"}");
                    sendText("{\"type\":\"Warning\",\"warn_code\":\"TEST\",\"warn_msg\":\"ignore me\"}");
                }
                byte[] chunk = Arrays.copyOfRange(audio, offset, Math.min(audio.length, offset + CHUNK_BYTES));
                if (!socket.isClosed()) {
                    socket.writeBinaryMessage(Buffer.buffer(chunk));
                }
                if (drop) {
                    socket.close((short) 1011, "internal error");
                    return;
                }
                pause(CHUNK_GAP_MS);
            }
            if (clears == clearsAtFlush) {
                sendText("{\"type\":\"Flushed\",\"sequence_id\":" + sequence + "}");
            }
        }

        private void warn(String code, String text) {
            connection.warnings().add(code);
            sendText(JSON.createObjectNode().put("type", "Warning").put("warn_code", code).put("warn_msg", text)
                    .toString());
        }

        private void sendText(String text) {
            if (!socket.isClosed()) {
                socket.writeTextMessage(text);
            }
        }

        private void pause(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
