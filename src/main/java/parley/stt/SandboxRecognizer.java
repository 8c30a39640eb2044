package parley.stt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local server that speaks Deepgram's live speech-to-text protocol, for running Parley offline, in tests and
 * in benchmarks. It measures the pipeline, not recognition accuracy: it does not recognise words. It is told
 * what the caller says and answers with those lines, timed by the speech it actually finds in the audio.
 *
 * <h2>How it learns the caller's lines</h2>
 * The call simulator gives each line to Twilio as a custom parameter {@code sandbox-line-1},
 * {@code sandbox-line-2}, ...; {@link DeepgramLiveClient} passes those parameters on as Deepgram's documented
 * {@code extra=KEY:VALUE} request metadata (which Deepgram echoes and otherwise ignores), so they reach the
 * sandbox over the ordinary protocol and nothing is shared between the two but the WebSocket. A connection
 * that carries Deepgram's {@code tag} (the client sets the call id) continues where the call's previous
 * connection stopped, so that after a reconnection the resent audio maps to the line that was still unfinished
 * rather than to the first one.
 *
 * <h2>What it does as Deepgram does</h2>
 * <ul>
 * <li>Handshake on {@code /v1/listen}: {@code Authorization: Token <key>} (or {@code Bearer}) is required, any
 * key is accepted; the query is validated ({@code encoding}, {@code sample_rate}, {@code channels},
 * booleans, {@code endpointing}, {@code utterance_end_ms} at least 1000 and only with interim results,
 * {@code tag} and {@code extra} sizes). A refusal is HTTP 400 (401 for credentials) with {@code dg-error}
 * and {@code dg-request-id} headers and a JSON body.</li>
 * <li>Results (interim and final, {@code speech_final} by endpointing), SpeechStarted with
 * {@code vad_events=true}, UtteranceEnd after {@code utterance_end_ms} of silence after the last word;
 * each connection's clock starts at 0. See {@link SandboxTranscriber} for how speech is found.</li>
 * <li>{@code KeepAlive} keeps the connection open and gets no answer; {@code Finalize} answers with
 * {@code from_finalize:true}; {@code CloseStream} (or the legacy empty binary frame) gives the last results,
 * then {@code Metadata} (with the {@code extra} echoed), then close 1000.</li>
 * <li>Neither audio nor a message for {@link SandboxSettings#idleTimeout()} (10 s by default): close 1011
 * {@code NET-0001}.</li>
 * </ul>
 *
 * <h2>Where it differs</h2>
 * It decodes {@code mulaw} and {@code linear16} only, on one channel, and refuses other Deepgram encodings
 * with a 400 that says so. Final results cover the speech they contain, not the silence between (Deepgram's
 * tile the timeline). Speech beyond the last line gets a SpeechStarted and no results (an empty one if
 * {@code Finalize} asks for it). Malformed or unknown
 * text messages are ignored.
 */
public final class SandboxRecognizer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxRecognizer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATH = "/v1/listen";
    private static final Pattern CREDENTIALS = Pattern.compile("(Token|Bearer) \\S+");
    /** A call's lines travel in the request line: 20 lines of 500 characters, percent-encoded, fit. */
    private static final int MAX_REQUEST_LINE = 64 * 1024;
    /** Calls remembered for reconnections; a call that ended with CloseStream is forgotten at once. */
    private static final int MAX_CALLS = 10_000;

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final SandboxSettings settings;
    private final String modelUuid = UUID.randomUUID().toString();
    private final Map<String, Integer> linesUsedByCall = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > MAX_CALLS;
        }
    };
    private HttpServer server;

    /** A sandbox on its own Vert.x instance, closed by {@link #stop()}. */
    public SandboxRecognizer(SandboxSettings settings) {
        this(Vertx.vertx(), settings, true);
    }

    /** A sandbox on the application's Vert.x instance, which {@link #stop()} leaves running. */
    public SandboxRecognizer(Vertx vertx, SandboxSettings settings) {
        this(vertx, settings, false);
    }

    private SandboxRecognizer(Vertx vertx, SandboxSettings settings, boolean ownsVertx) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.ownsVertx = ownsVertx;
    }

    /** Starts listening; returns once the port is bound. */
    public synchronized SandboxRecognizer start() {
        if (server != null) {
            return this;
        }
        HttpServerOptions options = new HttpServerOptions().setMaxInitialLineLength(MAX_REQUEST_LINE);
        server = await(vertx.createHttpServer(options)
                .requestHandler(this::handshake)
                .listen(settings.port(), settings.host()));
        return this;
    }

    /** The live endpoint, e.g. {@code ws://127.0.0.1:41234/v1/listen}, for {@link DeepgramSettings#withUrl}. */
    public synchronized URI url() {
        if (server == null) {
            throw new IllegalStateException("the sandbox recognizer is not started");
        }
        return URI.create("ws://" + settings.host() + ":" + server.actualPort() + PATH);
    }

    /** Stops listening and drops open connections. Idempotent. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        await(server.close());
        server = null;
        if (ownsVertx) {
            await(vertx.close());
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void handshake(HttpServerRequest request) {
        String requestId = UUID.randomUUID().toString();
        if (!PATH.equals(request.path())) {
            refuse(request, requestId, 404, "Not Found", "No such endpoint: " + request.path());
            return;
        }
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            refuse(request, requestId, 400, "Bad Request", "The sandbox recognizer serves live streaming only.");
            return;
        }
        String authorization = request.getHeader("Authorization");
        if (authorization == null || !CREDENTIALS.matcher(authorization).matches()) {
            refuse(request, requestId, 401, "INVALID_AUTH", "Invalid credentials.");
            return;
        }
        SandboxOptions options;
        try {
            Map<String, List<String>> query = new LinkedHashMap<>();
            request.params().names().forEach(name -> query.put(name, request.params().getAll(name)));
            options = SandboxOptions.parse(query);
        } catch (SandboxOptions.Invalid invalid) {
            refuse(request, requestId, 400, "Bad Request", invalid.getMessage());
            return;
        }
        request.toWebSocket().onSuccess(socket -> new Connection(socket, options, requestId));
    }

    private static void refuse(HttpServerRequest request, String requestId, int status, String code, String message) {
        ObjectNode body = JSON.createObjectNode().put("err_code", code).put("err_msg", message)
                .put("request_id", requestId);
        request.response().setStatusCode(status)
                .putHeader("dg-request-id", requestId)
                .putHeader("dg-error", message)
                .putHeader("Content-Type", "application/json")
                .end(body.toString());
    }

    private int linesUsed(String tag) {
        if (tag.isEmpty()) {
            return 0;
        }
        synchronized (linesUsedByCall) {
            return linesUsedByCall.getOrDefault(tag, 0);
        }
    }

    private void remember(String tag, int linesUsed, boolean callOver) {
        if (tag.isEmpty()) {
            return;
        }
        synchronized (linesUsedByCall) {
            if (callOver) {
                linesUsedByCall.remove(tag);
            } else {
                linesUsedByCall.put(tag, linesUsed);
            }
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the sandbox recognizer could not start or stop", e);
        }
    }

    /** One live connection; runs on its event loop only, so it needs no locking. */
    private final class Connection {

        private final ServerWebSocket socket;
        private final SandboxOptions options;
        private final SandboxTranscriber transcriber;
        private final long idleCheck;
        private long lastHeard = System.nanoTime();
        private boolean ending;
        private boolean closed;

        Connection(ServerWebSocket socket, SandboxOptions options, String requestId) {
            this.socket = socket;
            this.options = options;
            this.transcriber = new SandboxTranscriber(options, linesUsed(options.tag()), requestId, modelUuid);
            long every = Math.max(10, settings.idleTimeout().toMillis() / 10);
            this.idleCheck = vertx.setPeriodic(every, id -> closeIfIdle());
            socket.binaryMessageHandler(buffer -> {
                if (buffer.length() == 0) {
                    closeStream();
                } else if (!ending) {
                    heard();
                    send(transcriber.audio(buffer.getBytes()), false);
                }
            });
            socket.textMessageHandler(this::control);
            socket.closeHandler(v -> {
                closed = true;
                vertx.cancelTimer(idleCheck);
            });
        }

        private void control(String text) {
            JsonNode message;
            try {
                message = JSON.readTree(text);
            } catch (Exception e) {
                LOG.debug("sandbox recognizer ignored a text message that is not JSON: {}", text);
                return;
            }
            switch (message.path("type").asText()) {
                case "KeepAlive" -> heard();
                case "Finalize" -> {
                    heard();
                    send(transcriber.finalizeNow(), false);
                }
                case "CloseStream" -> closeStream();
                default -> LOG.debug("sandbox recognizer ignored a message: {}", text);
            }
        }

        private void closeStream() {
            if (ending) {
                return;
            }
            ending = true;
            send(transcriber.closeStream(), true);
        }

        private void heard() {
            lastHeard = System.nanoTime();
        }

        private void closeIfIdle() {
            if (!closed && !ending && System.nanoTime() - lastHeard >= settings.idleTimeout().toNanos()) {
                ending = true;
                socket.close((short) 1011, "NET-0001: no audio or message received within the timeout window");
            }
        }

        /** Sends after the configured latency; timers of equal delay fire in the order they were set. */
        private void send(List<ObjectNode> messages, boolean thenClose) {
            remember(options.tag(), transcriber.linesUsed(), thenClose);
            if (messages.isEmpty() && !thenClose) {
                return;
            }
            vertx.setTimer(Math.max(1, settings.latency().toMillis()), id -> {
                if (closed) {
                    return;
                }
                messages.forEach(m -> socket.writeTextMessage(m.toString()));
                if (thenClose) {
                    socket.close((short) 1000, "");
                }
            });
        }
    }
}
