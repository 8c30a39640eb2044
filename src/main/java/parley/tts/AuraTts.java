package parley.tts;

import static parley.tts.ProviderText.describe;
import static parley.tts.ProviderText.excerpt;
import static parley.tts.ProviderText.firstText;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deepgram Aura's streaming voice over its speak WebSocket.
 *
 * <p><b>One socket per turn.</b> Aura has no contexts: a socket holds one text buffer, so turns of different
 * calls cannot share it, and {@code Clear} drops everything on it. A socket per turn keeps barge-in and
 * failures local to the turn. The socket is opened when the turn opens, so its handshake runs while the
 * language model is still writing the first phrase; text pushed before it is open waits in order.
 *
 * <p>Each phrase goes out as {@code Speak} followed by {@code Flush}. Aura holds text in a buffer until it has
 * enough to speak well or is flushed; Parley's phrases are already whole clauses, and flushing each one is
 * what lets the caller hear the first phrase while the language model is still writing the rest. Aura
 * allows 20 flushes a minute per socket, and a socket here carries one turn, so a turn flushes at most
 * {@value #MAX_FLUSHES} times in all: after the first {@value #MAX_FLUSHES} - 1 phrases, later phrases wait
 * in Aura's buffer for the last flush at {@link SpeechStream#finish()}. Aura sends all audio of flushed text
 * before answering {@code Flushed}, so the turn is done when every flush has been answered after finish.
 *
 * <p>Aura sends no word timings. There is no timeout on the first audio: a turn that Aura never answers is
 * for the caller of {@link SpeechStream#cancel()} to end.
 */
public final class AuraTts implements TextToSpeech {

    private static final Logger LOG = LoggerFactory.getLogger(AuraTts.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Aura's limit per minute; a turn's socket never exceeds it in its whole life. */
    static final int MAX_FLUSHES = 20;
    private static final String FLUSH = "{\"type\":\"Flush\"}";
    private static final String CLEAR = "{\"type\":\"Clear\"}";
    private static final String CLOSE = "{\"type\":\"Close\"}";

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI uri;
    private final Map<String, String> headers;
    private final String name;

    public AuraTts(AuraSettings settings) {
        Objects.requireNonNull(settings, "settings");
        this.name = "aura " + settings.model();
        this.uri = withQuery(settings.url(), "model=" + URLEncoder.encode(settings.model(), StandardCharsets.UTF_8)
                + "&encoding=mulaw&sample_rate=8000");
        this.headers = Map.of("Authorization", "Token " + settings.apiKey());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SpeechStream open(String turnId, SpeechListener listener) {
        Objects.requireNonNull(turnId, "turnId");
        Objects.requireNonNull(listener, "listener");
        return new Turn(turnId, listener);
    }

    private static URI withQuery(URI base, String query) {
        String text = base.toString();
        return URI.create(text + (base.getRawQuery() == null ? "?" : "&") + query);
    }

    /** One agent turn on its own socket. The handler runs on the HTTP client's threads. */
    private final class Turn implements SpeechStream, ProviderSocket.Handler {

        private final String turnId;
        private final TurnDelivery delivery;
        private final ProviderSocket socket;
        /** Guarded by this, like the socket's sending side and the counts below. */
        private boolean finished;
        private boolean unflushedText;
        private int flushesSent;
        private int flushesAnswered;

        Turn(String turnId, SpeechListener listener) {
            this.turnId = turnId;
            this.delivery = new TurnDelivery("Aura", turnId, listener);
            this.socket = ProviderSocket.open(http, uri, headers, CONNECT_TIMEOUT, this);
        }

        @Override
        public void push(String phrase) {
            Objects.requireNonNull(phrase, "phrase");
            synchronized (this) {
                if (finished) {
                    throw new IllegalStateException("Turn " + turnId + " is already finished");
                }
                if (phrase.isEmpty() || !delivery.isSpeaking()) {
                    return;
                }
                socket.send(JSON.createObjectNode().put("type", "Speak").put("text", phrase).toString());
                unflushedText = true;
                if (flushesSent < MAX_FLUSHES - 1) {
                    flush();
                }
            }
        }

        @Override
        public void finish() {
            synchronized (this) {
                if (finished) {
                    return;
                }
                finished = true;
                if (unflushedText && delivery.isSpeaking()) {
                    flush();
                }
            }
            completeIfAllFlushed();
        }

        @Override
        public void cancel() {
            if (!delivery.cancel()) {
                return;
            }
            synchronized (this) {
                socket.send(CLEAR);
                socket.send(CLOSE);
                socket.close();
            }
        }

        /** Must hold this. */
        private void flush() {
            socket.send(FLUSH);
            flushesSent++;
            unflushedText = false;
        }

        private void flushed() {
            synchronized (this) {
                if (flushesAnswered == flushesSent) {
                    LOG.warn("Aura turn {}: Flushed without a Flush, ignored", turnId);
                    return;
                }
                flushesAnswered++;
            }
            completeIfAllFlushed();
        }

        private void completeIfAllFlushed() {
            synchronized (this) {
                if (!finished || flushesAnswered < flushesSent) {
                    return;
                }
            }
            if (delivery.done()) {
                socket.send(CLOSE);
                socket.close();
            }
        }

        @Override
        public void onText(String text) {
            JsonNode message;
            try {
                message = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                LOG.warn("Aura turn {}: frame that is not JSON, ignored: {}", turnId, excerpt(text));
                return;
            }
            switch (message.path("type").asText("")) {
                case "Flushed" -> flushed();
                case "Warning" -> LOG.warn("Aura turn {}: warning {}: {}", turnId,
                        message.path("warn_code").asText(""), message.path("warn_msg").asText(""));
                case "Error" -> failed("Aura error " + firstText(message, "", "err_code", "variant") + ": "
                        + firstText(message, "(no description)", "err_msg", "description", "message"));
                case "Metadata", "Cleared" -> LOG.debug("Aura turn {}: {}", turnId, excerpt(text));
                default -> LOG.warn("Aura turn {}: unknown message, ignored: {}", turnId, excerpt(text));
            }
        }

        @Override
        public void onBinary(byte[] audio) {
            delivery.audio(audio);
        }

        @Override
        public void onClosed(int code, String reason) {
            failed("Aura closed the connection before the turn was done, code " + code
                    + (reason.isEmpty() ? "" : " " + reason));
        }

        @Override
        public void onFailed(Throwable error) {
            failed("Aura connection failed: " + describe(error));
        }

        private void failed(String problem) {
            if (delivery.fail(problem)) {
                socket.abort();
            }
        }
    }
}
