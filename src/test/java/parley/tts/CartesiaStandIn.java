package parley.tts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.net.URI;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import parley.audio.OfflineVoice;
import parley.support.LoopbackServer;

/**
 * Cartesia's TTS WebSocket as documented, on a local port, speaking with the offline voice.
 *
 * <p>Per context it generates the inputs in order: word timestamps (counted from the start of the context's
 * audio), then the audio as base64 {@code chunk} messages of 100 ms, a few milliseconds apart, and
 * {@code done} once the context is closed with {@code continue:false} and all its audio is out. It checks
 * what Cartesia checks: required fields, the telephone output format, and that later inputs of a context
 * change nothing but the transcript and {@code continue}; a violation is answered with an {@code error} for
 * that context. A {@code cancel} stops the generations of the context that have not begun; the one being
 * sent runs to its end, as Cartesia documents. A context expires {@value #CONTEXT_EXPIRY_MS} ms after its last
 * audio when no input followed, as Cartesia documents; an input for it after that is answered with an
 * {@code error}. Faults are injected by transcript, or by stalling: a stalled socket stays open and answers
 * nothing.
 */
final class CartesiaStandIn implements AutoCloseable {

    static final int CHUNK_BYTES = 800;
    static final long CONTEXT_EXPIRY_MS = 1000;
    private static final java.util.concurrent.ScheduledExecutorService EXPIRER =
            Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "cartesia-stand-in-expiry");
                thread.setDaemon(true);
                return thread;
            });
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long CHUNK_GAP_MS = 3;

    /** One accepted socket: its handshake and every text frame the client sent, in order. */
    record Connection(String path, Map<String, String> headers, List<String> messages) {}

    private final OfflineVoice voice;
    private final LoopbackServer server;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final Set<String> errorOn = ConcurrentHashMap.newKeySet();
    private final Set<String> dropOnce = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> firstByteDelayMs = new ConcurrentHashMap<>();
    private volatile boolean garbage;
    private volatile boolean stallNewSockets;
    private final List<Session> sessions = new CopyOnWriteArrayList<>();
    private final List<String> expired = new CopyOnWriteArrayList<>();

    CartesiaStandIn(OfflineVoice voice) throws Exception {
        this.voice = voice;
        this.server = new LoopbackServer(this::accept);
    }

    URI url() {
        return server.url("/tts/websocket");
    }

    List<Connection> connections() {
        return List.copyOf(connections);
    }

    /** An input with this transcript is answered with an error for its context. */
    void errorOn(String transcript) {
        errorOn.add(transcript);
    }

    /** The first input with this transcript makes the server drop the socket, with code 1011. */
    void dropOnce(String transcript) {
        dropOnce.add(transcript);
    }

    /** The audio of an input with this transcript starts only after this delay. */
    void delayFirstByte(String transcript, long millis) {
        firstByteDelayMs.put(transcript, millis);
    }

    /** Contexts that expired, in order. */
    List<String> expiredContexts() {
        return List.copyOf(expired);
    }

    /** Every socket, open now or opened later, stays open and answers nothing. */
    void stallEverySocket() {
        stallNewSockets = true;
        sessions.forEach(session -> session.stalled = true);
    }

    /** Every chunk is preceded by frames a client must ignore. */
    void sendGarbage() {
        garbage = true;
    }

    /** The words Cartesia would time for this transcript. */
    static List<String> words(String transcript) {
        return Arrays.stream(transcript.split("\\s+"))
                .map(word -> word.replaceAll("[^\\p{L}\\p{N}']", ""))
                .filter(word -> !word.isEmpty())
                .toList();
    }

    @Override
    public void close() throws Exception {
        server.close();
    }

    private void accept(ServerWebSocket socket) {
        Map<String, String> headers = LoopbackServer.headers(socket);
        Connection connection = new Connection(socket.path(), headers, new CopyOnWriteArrayList<>());
        connections.add(connection);
        Session session = new Session(socket);
        session.stalled = stallNewSockets;
        sessions.add(session);
        socket.textMessageHandler(text -> {
            connection.messages().add(text);
            session.receive(text);
        });
        socket.closeHandler(ignored -> session.shutdown());
    }

    private final class Session {

        private final ServerWebSocket socket;
        private final Map<String, Context> contexts = new ConcurrentHashMap<>();
        volatile boolean stalled;

        Session(ServerWebSocket socket) {
            this.socket = socket;
        }

        void receive(String text) {
            if (stalled) {
                return;
            }
            JsonNode message;
            try {
                message = JSON.readTree(text);
            } catch (Exception e) {
                send(error(null, "Invalid JSON"));
                return;
            }
            String contextId = message.path("context_id").asText("");
            if (contextId.isEmpty()) {
                send(error(null, "context_id is required"));
                return;
            }
            if (message.path("cancel").asBoolean(false)) {
                Context context = contexts.get(contextId);
                if (context != null) {
                    context.cancelled = true;
                }
                return;
            }
            String problem = invalid(message);
            if (problem != null) {
                send(error(contextId, problem));
                return;
            }
            if (expired.contains(contextId)) {
                send(error(contextId, "Context has expired"));
                return;
            }
            Context context = contexts.computeIfAbsent(contextId, id -> new Context(id, message));
            int input = context.inputs.incrementAndGet();
            if (!context.sameParameters(message)) {
                send(error(contextId, "Only transcript and continue may change within a context"));
                return;
            }
            String transcript = message.get("transcript").asText();
            if (dropOnce.remove(transcript)) {
                socket.close((short) 1011, "internal error");
                return;
            }
            if (errorOn.contains(transcript)) {
                send(error(contextId, "Generation failed for this input"));
                return;
            }
            boolean last = !message.path("continue").asBoolean(false);
            context.worker.execute(() -> {
                context.generate(transcript, last);
                if (!last) {
                    EXPIRER.schedule(() -> context.expireUnless(input), CONTEXT_EXPIRY_MS, TimeUnit.MILLISECONDS);
                }
            });
        }

        void shutdown() {
            contexts.values().forEach(context -> context.worker.shutdownNow());
        }

        private String invalid(JsonNode message) {
            if (!message.path("model_id").isTextual() || !message.path("transcript").isTextual()
                    || !message.path("language").isTextual()) {
                return "model_id, transcript and language are required";
            }
            JsonNode voiceSpec = message.path("voice");
            if (!"id".equals(voiceSpec.path("mode").asText()) || !voiceSpec.path("id").isTextual()) {
                return "voice must be {mode: id, id}";
            }
            JsonNode format = message.path("output_format");
            if (!"raw".equals(format.path("container").asText()) || !format.path("encoding").isTextual()
                    || !format.path("sample_rate").isInt()) {
                return "output_format must name container, encoding and sample_rate";
            }
            if (!"pcm_mulaw".equals(format.path("encoding").asText()) || format.path("sample_rate").asInt() != 8000) {
                return "this stand-in speaks only pcm_mulaw at 8000 Hz";
            }
            return null;
        }

        private void send(ObjectNode message) {
            if (!socket.isClosed()) {
                socket.writeTextMessage(message.toString());
            }
        }

        private ObjectNode error(String contextId, String problem) {
            ObjectNode error = JSON.createObjectNode();
            error.put("type", "error");
            if (contextId != null) {
                error.put("context_id", contextId);
            }
            error.put("status_code", 400);
            error.put("done", true);
            error.put("error", problem);
            return error;
        }

        private final class Context {

            final String id;
            final JsonNode first;
            final ExecutorService worker = Executors.newSingleThreadExecutor();
            volatile boolean cancelled;
            final java.util.concurrent.atomic.AtomicInteger inputs = new java.util.concurrent.atomic.AtomicInteger();
            double secondsSoFar;
            boolean firstByteSent;

            Context(String id, JsonNode first) {
                this.id = id;
                this.first = first;
            }

            /** A second after the audio of input {@code number}, unless another input came. */
            void expireUnless(int number) {
                if (inputs.get() == number && contexts.remove(id, this)) {
                    expired.add(id);
                    worker.shutdown();
                }
            }

            boolean sameParameters(JsonNode message) {
                for (String field : List.of("model_id", "voice", "language", "output_format", "add_timestamps")) {
                    if (!first.path(field).equals(message.path(field))) {
                        return false;
                    }
                }
                return true;
            }

            /** Runs on the context's worker: inputs of one context in order, contexts in parallel. */
            void generate(String transcript, boolean last) {
                if (cancelled) {
                    return;
                }
                if (!transcript.isEmpty()) {
                    speak(transcript);
                }
                if (last && !cancelled) {
                    ObjectNode done = JSON.createObjectNode();
                    done.put("type", "done");
                    done.put("done", true);
                    done.put("status_code", 206);
                    done.put("context_id", id);
                    send(done);
                    contexts.remove(id);
                    worker.shutdown();
                }
            }

            private void speak(String transcript) {
                byte[] audio = voice.speakMuLaw(transcript);
                if (!firstByteSent) {
                    pause(firstByteDelayMs.getOrDefault(transcript, 0L));
                    firstByteSent = true;
                }
                send(timestamps(transcript, audio.length / 8000.0));
                for (int offset = 0; offset < audio.length; offset += CHUNK_BYTES) {
                    if (garbage) {
                        sendGarbage();
                    }
                    byte[] chunk = Arrays.copyOfRange(audio, offset, Math.min(audio.length, offset + CHUNK_BYTES));
                    ObjectNode message = JSON.createObjectNode();
                    message.put("type", "chunk");
                    message.put("data", Base64.getEncoder().encodeToString(chunk));
                    message.put("done", false);
                    message.put("status_code", 206);
                    message.put("step_time", 12.5);
                    message.put("context_id", id);
                    send(message);
                    pause(CHUNK_GAP_MS);
                }
            }

            private ObjectNode timestamps(String transcript, double seconds) {
                List<String> words = words(transcript);
                ObjectNode message = JSON.createObjectNode();
                message.put("type", "timestamps");
                message.put("done", false);
                message.put("status_code", 206);
                message.put("context_id", id);
                ObjectNode timings = message.putObject("word_timestamps");
                ArrayNode names = timings.putArray("words");
                ArrayNode starts = timings.putArray("start");
                ArrayNode ends = timings.putArray("end");
                double each = seconds / words.size();
                for (int i = 0; i < words.size(); i++) {
                    names.add(words.get(i));
                    starts.add(secondsSoFar + i * each);
                    ends.add(secondsSoFar + (i + 1) * each);
                }
                secondsSoFar += seconds;
                return message;
            }

            private void sendGarbage() {
                if (socket.isClosed()) {
                    return;
                }
                socket.writeTextMessage("this is not json {");
                socket.writeBinaryMessage(Buffer.buffer(new byte[] {1, 2, 3}));
                socket.writeTextMessage("[]");
                socket.writeTextMessage("{\"type\":\"chunk\",\"context_id\":\"no-such-context\",\"data\":\"AAAA\"}");
                socket.writeTextMessage("{\"type\":\"chunk\",\"context_id\":\"" + id + "\",\"data\":\"%%not base64%%\"}");
                socket.writeTextMessage("{\"type\":\"timestamps\",\"context_id\":\"" + id
                        + "\",\"word_timestamps\":{\"words\":[\"ghost\"],\"start\":[]}}");
                socket.writeTextMessage("{\"type\":\"flush_done\",\"context_id\":\"" + id + "\",\"flush_id\":1}");
                socket.writeTextMessage("{\"type\":\"mystery\",\"context_id\":\"" + id + "\"}");
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
}
