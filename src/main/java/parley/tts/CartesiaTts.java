package parley.tts;

import static parley.tts.ProviderText.describe;
import static parley.tts.ProviderText.excerpt;
import static parley.tts.ProviderText.firstText;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cartesia's streaming voice over its TTS WebSocket.
 *
 * <p><b>One socket per instance, many calls on it.</b> Cartesia multiplexes generations over one socket by
 * {@code context_id} and recommends exactly that: a socket kept open saves the TCP and TLS handshakes on
 * every turn. Each turn gets a fresh random context id, so turns of different calls never collide even
 * when their turn ids do, and every response is routed by its context id alone. An error for one context
 * fails that turn only.
 *
 * <p><b>A lost socket.</b> When the socket drops, turns that have not yet received any audio are sent again,
 * whole, on a new socket: the caller has heard nothing of them, so they recover without a trace. Turns
 * that already delivered audio cannot be resumed mid-word and fail with {@code onError}, so that Parley can
 * finish them with another voice. A turn is sent again at most once, so a provider that drops every
 * socket cannot keep a turn alive forever. The socket is reopened on demand: when a turn opens or sends,
 * or a turn is sent again. A deployment that wants a dropped socket to touch only one call can create one
 * instance per call instead of one per Parley; the protocol is the same.
 *
 * <p><b>A pause in the text.</b> Cartesia lets a context expire about a second after its last audio, and a
 * later input on it is refused. When a language model pauses mid-answer for longer than
 * {@link #CONTEXT_IDLE}, the turn's next phrase goes to a fresh context with the same voice and settings, its
 * word timings continuing where the audio so far ends, so no word is lost and the voice does not change.
 *
 * <p><b>A stalled socket.</b> When a turn goes silent on a socket that stays open, {@link #stalled()} drops the
 * socket as if it were lost and the next turns open a new one.
 *
 * <p>Each turn opens the socket if none is open, so the handshake runs while the language model is still
 * writing the first phrase. There is no timeout on the first audio: a turn that Cartesia never answers
 * is for the caller of {@link SpeechStream#cancel()} to end.
 */
public final class CartesiaTts implements TextToSpeech, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CartesiaTts.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Half of Cartesia's context expiry, leaving room for the network between its last audio and us. */
    static final Duration CONTEXT_IDLE = Duration.ofMillis(500);

    private final CartesiaSettings settings;
    private final HttpClient http = HttpClient.newHttpClient();
    /** Every live turn by its context id: the routing table for responses. */
    private final Map<String, Turn> turns = new ConcurrentHashMap<>();
    private final Map<String, String> headers;

    /** Guarded by this, as is every turn's binding to a connection. */
    private Connection connection;
    private boolean closed;

    public CartesiaTts(CartesiaSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.headers = Map.of("X-API-Key", settings.apiKey(), "Cartesia-Version", settings.version());
    }

    @Override
    public String name() {
        return "cartesia " + settings.modelId();
    }

    @Override
    public SpeechStream open(String turnId, SpeechListener listener) {
        Objects.requireNonNull(turnId, "turnId");
        Objects.requireNonNull(listener, "listener");
        Turn turn = new Turn(turnId, UUID.randomUUID().toString(), listener);
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("CartesiaTts is closed");
            }
            current();
            turns.put(turn.contextId, turn);
        }
        return turn;
    }

    /** Closes the socket; turns still speaking fail. Later {@link #open} calls are refused. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (connection != null) {
                connection.socket.close();
                connection = null;
            }
        }
        for (Turn turn : new ArrayList<>(turns.values())) {
            end(turn).fail("Cartesia voice closed");
        }
    }

    @Override
    public void stalled() {
        Connection stalled;
        synchronized (this) {
            stalled = connection;
        }
        if (stalled != null) {
            stalled.socket.abort();
            lost(stalled, "a turn went silent on it; replaced");
        }
    }

    /** Must hold this. Opens a socket when none is open or the last one was lost. */
    private Connection current() {
        if (connection == null) {
            connection = new Connection();
        }
        return connection;
    }

    private synchronized void send(Turn turn, ObjectNode message) {
        if (closed || !turn.delivery.isSpeaking()) {
            return;
        }
        String text = message.toString();
        turn.lastInputNanos = System.nanoTime();
        turn.boundTo = current();
        if (!turn.heard) {
            turn.unheard.add(text);
        }
        turn.boundTo.socket.send(text);
    }

    private synchronized void sendCancel(Turn turn) {
        if (turn.boundTo != null && turn.boundTo == connection) {
            ObjectNode cancel = JSON.createObjectNode();
            cancel.put("context_id", turn.contextId);
            cancel.put("cancel", true);
            connection.socket.send(cancel.toString());
        }
    }

    private synchronized void heard(Turn turn) {
        turn.heard = true;
        turn.unheard.clear();
    }

    private TurnDelivery end(Turn turn) {
        for (String contextId : turn.contextIds()) {
            turns.remove(contextId, turn);
        }
        return turn.delivery;
    }

    private void lost(Connection lost, String problem) {
        List<Turn> failed = new ArrayList<>();
        synchronized (this) {
            if (connection == lost) {
                connection = null;
            }
            for (Turn turn : turns.values()) {
                if (turn.boundTo != lost) {
                    continue;
                }
                if (closed || turn.heard || turn.resent) {
                    failed.add(turn);
                    continue;
                }
                turn.resent = true;
                turn.boundTo = current();
                turn.unheard.forEach(turn.boundTo.socket::send);
                LOG.info("Cartesia turn {} (context {}) sent again after the connection was lost",
                        turn.turnId, turn.contextId);
            }
        }
        LOG.warn("Cartesia connection lost ({}); {} turn(s) fail", problem, failed.size());
        for (Turn turn : failed) {
            end(turn).fail("Cartesia connection lost: " + problem);
        }
    }

    private ObjectNode request(Turn turn, String transcript, boolean more) {
        ObjectNode message = JSON.createObjectNode();
        message.put("model_id", settings.modelId());
        message.put("transcript", transcript);
        ObjectNode voice = message.putObject("voice");
        voice.put("mode", "id");
        voice.put("id", settings.voiceId());
        message.put("language", settings.language());
        message.put("context_id", turn.contextId);
        message.put("continue", more);
        message.put("add_timestamps", true);
        // Parley already hands over whole phrases; any buffering on Cartesia's side only delays the first audio.
        message.put("max_buffer_delay_ms", 0);
        ObjectNode format = message.putObject("output_format");
        format.put("container", "raw");
        format.put("encoding", "pcm_mulaw");
        format.put("sample_rate", 8000);
        return message;
    }

    private void receive(String text) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            LOG.warn("Cartesia sent a frame that is not JSON, ignored: {}", excerpt(text));
            return;
        }
        Turn turn = message.isObject() ? turns.get(message.path("context_id").asText("")) : null;
        if (turn == null) {
            // Late responses to a cancelled or finished turn land here, as do frames of no known shape.
            LOG.debug("Cartesia message for no live turn, ignored: {}", excerpt(text));
            return;
        }
        switch (message.path("type").asText("")) {
            case "chunk" -> chunk(turn, message);
            case "timestamps" -> timestamps(turn, message.path("context_id").asText(), message.path("word_timestamps"));
            case "done" -> done(turn, message.path("context_id").asText());
            case "error" -> error(turn, message);
            default -> LOG.debug("Cartesia message ignored: {}", excerpt(text));
        }
    }

    private void chunk(Turn turn, JsonNode message) {
        byte[] audio;
        try {
            audio = Base64.getDecoder().decode(message.path("data").asText(""));
        } catch (IllegalArgumentException e) {
            LOG.warn("Cartesia turn {}: audio chunk that is not base64, ignored", turn.turnId);
            return;
        }
        if (audio.length > 0 && !turn.heard) {
            heard(turn);
        }
        turn.audioBytes += audio.length;
        turn.lastAudioNanos = System.nanoTime();
        turn.delivery.audio(audio);
    }

    private void timestamps(Turn turn, String contextId, JsonNode timestamps) {
        double offset = turn.offsetOf(contextId);
        JsonNode words = timestamps.path("words");
        JsonNode starts = timestamps.path("start");
        JsonNode ends = timestamps.path("end");
        if (!words.isArray() || !starts.isArray() || !ends.isArray()
                || starts.size() != words.size() || ends.size() != words.size()) {
            LOG.warn("Cartesia turn {}: malformed word timestamps, ignored", turn.turnId);
            return;
        }
        List<WordTiming> timings = new ArrayList<>(words.size());
        for (int i = 0; i < words.size(); i++) {
            if (!words.get(i).isTextual() || !starts.get(i).isNumber() || !ends.get(i).isNumber()) {
                LOG.warn("Cartesia turn {}: malformed word timestamps, ignored", turn.turnId);
                return;
            }
            timings.add(new WordTiming(words.get(i).asText(), offset + starts.get(i).asDouble(),
                    offset + ends.get(i).asDouble()));
        }
        if (!turn.heard) {
            heard(turn);
        }
        turn.delivery.words(timings);
    }

    private void done(Turn turn, String contextId) {
        // Only the close of the turn's current context ends it: an earlier context of the turn, left to expire
        // during a pause, or a done before Parley closed the context, is not the end of the turn.
        if (!turn.finishSent || !contextId.equals(turn.contextId)) {
            LOG.debug("Cartesia turn {}: done for context {} before the turn was finished, ignored", turn.turnId,
                    contextId);
            return;
        }
        end(turn).done();
    }

    private void error(Turn turn, JsonNode message) {
        String problem = firstText(message, "(no description)", "error", "message", "title");
        String status = message.path("status_code").asText("");
        end(turn).fail("Cartesia error" + (status.isEmpty() ? "" : " " + status) + ": " + problem);
    }

    /** One socket to Cartesia. Its handler runs on the HTTP client's threads. */
    private final class Connection implements ProviderSocket.Handler {

        private final ProviderSocket socket;

        Connection() {
            socket = ProviderSocket.open(http, settings.url(), headers, CONNECT_TIMEOUT, this);
        }

        @Override
        public void onText(String message) {
            receive(message);
        }

        @Override
        public void onBinary(byte[] message) {
            LOG.warn("Cartesia sent a binary frame of {} bytes, ignored", message.length);
        }

        @Override
        public void onClosed(int code, String reason) {
            lost(this, "closed by Cartesia, code " + code + (reason.isEmpty() ? "" : " " + reason));
        }

        @Override
        public void onFailed(Throwable error) {
            lost(this, describe(error));
        }
    }

    /** One agent turn: one Cartesia context. */
    private final class Turn implements SpeechStream {

        final String turnId;
        /** The context the turn's next input goes to; earlier ones, left to expire, still route their messages. */
        volatile String contextId;
        /** Where each of the turn's contexts starts in the turn's audio, in seconds; read as responses arrive. */
        private final Map<String, Double> contextStarts = new ConcurrentHashMap<>();
        final TurnDelivery delivery;
        volatile long audioBytes;
        volatile long lastAudioNanos;
        long lastInputNanos;
        /** Guarded by the voice, like the fields below it. */
        Connection boundTo;
        /** What was sent before any audio arrived: what a new socket needs to take the turn over. */
        final List<String> unheard = new ArrayList<>();
        volatile boolean heard;
        boolean resent;
        boolean textSent;
        volatile boolean finishSent;
        private volatile boolean finished;

        Turn(String turnId, String contextId, SpeechListener listener) {
            this.turnId = turnId;
            this.contextId = contextId;
            this.contextStarts.put(contextId, 0.0);
            this.delivery = new TurnDelivery("Cartesia", turnId, listener);
        }

        List<String> contextIds() {
            return List.copyOf(contextStarts.keySet());
        }

        double offsetOf(String id) {
            return contextStarts.getOrDefault(id, 0.0);
        }

        /**
         * Must hold the voice. Whether the text paused, after the voice had caught up with it, long enough for
         * Cartesia to let the context expire.
         */
        private boolean pausedPastExpiry() {
            return textSent && heard && lastAudioNanos > lastInputNanos
                    && System.nanoTime() - lastAudioNanos >= CONTEXT_IDLE.toNanos();
        }

        /** Must hold the voice. The next input goes to a fresh context, its audio continuing the turn's. */
        private void continueOnFreshContext() {
            String fresh = UUID.randomUUID().toString();
            contextStarts.put(fresh, audioBytes / 8000.0);
            turns.put(fresh, this);
            LOG.debug("Cartesia turn {}: the text paused; context {} continues as {}", turnId, contextId, fresh);
            contextId = fresh;
        }

        @Override
        public void push(String phrase) {
            Objects.requireNonNull(phrase, "phrase");
            if (finished) {
                throw new IllegalStateException("Turn " + turnId + " is already finished");
            }
            if (phrase.isEmpty()) {
                return;
            }
            synchronized (CartesiaTts.this) {
                if (pausedPastExpiry()) {
                    continueOnFreshContext();
                }
                textSent = true;
                send(this, request(this, phrase, true));
            }
        }

        @Override
        public void finish() {
            if (finished) {
                return;
            }
            finished = true;
            boolean closesContext;
            synchronized (CartesiaTts.this) {
                // A context left to expire after its audio is complete needs no closing.
                closesContext = textSent && !pausedPastExpiry();
                if (closesContext) {
                    finishSent = true;
                    send(this, request(this, "", false));
                }
            }
            if (!closesContext) {
                // Cartesia has nothing more to say for this turn: it never saw it, or all its audio is out.
                end(this).done();
            }
        }

        @Override
        public void cancel() {
            if (delivery.cancel()) {
                end(this);
                sendCancel(this);
            }
        }
    }
}
