package parley.stt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's Deepgram live stream. State is guarded by the instance's monitor, held only for bookkeeping:
 * sends, connects and listener callbacks happen outside it. Each connection gets a generation number, and
 * anything a superseded connection reports (late results, failures of sends it had in flight) is ignored.
 */
final class DeepgramStream implements RecognitionStream {

    private static final Logger LOG = LoggerFactory.getLogger(DeepgramStream.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double BYTES_PER_SECOND = 8000;
    private static final Outbound KEEP_ALIVE = Outbound.text("{\"type\":\"KeepAlive\"}");
    private static final Outbound FINALIZE = Outbound.text("{\"type\":\"Finalize\"}");
    private static final Outbound CLOSE_STREAM = Outbound.text("{\"type\":\"CloseStream\"}");

    /**
     * Audio waiting to be sent on the current connection (5 s of Twilio's 20 ms frames). A connection that
     * falls this far behind is stalled: it is dropped and a new one is sent the audio not yet recognised,
     * instead of the queue growing for as long as the call lasts.
     */
    static final int MAX_UNSENT_FRAMES = 250;

    private enum State { OPEN, CLOSING, CLOSED }

    /** Audio the caller sent, with where it starts on the call's timeline (bytes = samples at 8 kHz mu-law). */
    private record Chunk(long start, byte[] bytes) {
        long end() {
            return start + bytes.length;
        }
    }

    private record Outbound(byte[] audio, String text) {
        static Outbound audio(byte[] bytes) {
            return new Outbound(bytes, null);
        }

        static Outbound text(String json) {
            return new Outbound(null, json);
        }
    }

    private final String callId;
    private final URI uri;
    private final DeepgramSettings settings;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private final TranscriptListener listener;
    private final long maxResendBytes;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    /** Audio since the last final result: what a new connection must hear again. */
    private final ArrayDeque<Chunk> unconfirmed = new ArrayDeque<>();
    private final ArrayDeque<Outbound> outbound = new ArrayDeque<>();
    private long unconfirmedBytes;
    private long received;
    private boolean trimmedSinceFinal;
    private State state = State.OPEN;
    private WebSocket socket;
    private int generation;
    private boolean inFlight;
    private int failures;
    /** Where the current connection's second zero lies on the call's timeline, in bytes. */
    private long offset;
    private long lastSentNanos;
    /**
     * Where on the call's timeline (bytes) the last unanswered Finalize was asked for, or -1: a new connection
     * repeats it at the same point of the resent audio.
     */
    private long finalizeAt = -1;
    /** When the unanswered Finalize was last asked for, on this connection or a new one. */
    private long finalizeAskedNanos;
    private ScheduledFuture<?> reconnect;
    private ScheduledFuture<?> keepAlive;
    private final ConnectionHistory connections;
    private ScheduledFuture<?> closeDeadline;

    DeepgramStream(String callId, URI uri, DeepgramSettings settings, HttpClient http, ScheduledExecutorService scheduler,
            TranscriptListener listener, ConnectionHistory connections) {
        this.connections = connections;
        this.callId = callId;
        this.uri = uri;
        this.settings = settings;
        this.http = http;
        this.scheduler = scheduler;
        this.listener = listener;
        this.maxResendBytes = (long) (settings.maxResend().toMillis() * BYTES_PER_SECOND / 1000);
    }

    void start() {
        long tick = Math.max(10, settings.keepAliveEvery().toMillis() / 4);
        synchronized (this) {
            keepAlive = scheduler.scheduleWithFixedDelay(this::keepAliveIfIdle, tick, tick, TimeUnit.MILLISECONDS);
        }
        // Connecting may resolve a host name, which can block: never on the caller's thread.
        scheduler.execute(this::connect);
    }

    /** Completes when the stream has ended, cleanly or not. */
    CompletableFuture<Void> whenClosed() {
        return closed.copy();
    }

    @Override
    public void sendAudio(byte[] mulaw) {
        // An empty binary frame is Deepgram's legacy "close the stream" signal: never send one.
        if (mulaw.length == 0) {
            return;
        }
        byte[] copy = mulaw.clone();
        int stalled = -1;
        synchronized (this) {
            if (state != State.OPEN) {
                return;
            }
            unconfirmed.add(new Chunk(received, copy));
            unconfirmedBytes += copy.length;
            received += copy.length;
            while (unconfirmedBytes > maxResendBytes && unconfirmed.size() > 1) {
                unconfirmedBytes -= unconfirmed.remove().bytes().length;
                trimmedSinceFinal = true;
            }
            if (socket == null) {
                return;
            }
            if (outbound.size() >= MAX_UNSENT_FRAMES) {
                stalled = generation;
            } else {
                outbound.add(Outbound.audio(copy));
            }
        }
        if (stalled >= 0) {
            lost(stalled, "Deepgram has not taken the last " + MAX_UNSENT_FRAMES + " frames of audio; reconnecting");
            return;
        }
        pump();
    }

    @Override
    public void finalizeUtterance() {
        synchronized (this) {
            if (state != State.OPEN) {
                return;
            }
            finalizeAt = received;
            finalizeAskedNanos = System.nanoTime();
            if (socket == null) {
                return;
            }
            outbound.add(FINALIZE);
        }
        pump();
    }

    @Override
    public void close() {
        boolean connectNow = false;
        synchronized (this) {
            if (state != State.OPEN) {
                return;
            }
            state = State.CLOSING;
            keepAlive.cancel(false);
            closeDeadline = scheduler.schedule(this::closeTimedOut, settings.closeTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
            if (socket != null) {
                outbound.add(CLOSE_STREAM);
            } else if (reconnect != null) {
                // Between attempts: try once more now, so that the audio not yet recognised gets its results.
                reconnect.cancel(false);
                reconnect = null;
                connectNow = true;
            }
            // While a handshake is under way, the new connection sends CloseStream after the audio.
        }
        if (connectNow) {
            scheduler.execute(this::connect);
        } else {
            pump();
        }
    }

    /**
     * Sends the next message now, on the calling thread, if the connection is free: the JDK's WebSocket writes
     * without blocking, and a hand-off to another thread for every 20 ms of audio costs more than the send.
     */
    private void pump() {
        WebSocket ws;
        Outbound next;
        int gen;
        synchronized (this) {
            if (inFlight || socket == null || outbound.isEmpty()) {
                return;
            }
            next = outbound.remove();
            inFlight = true;
            ws = socket;
            gen = generation;
            lastSentNanos = System.nanoTime();
        }
        CompletableFuture<WebSocket> sending;
        try {
            sending = next.audio() != null
                    ? ws.sendBinary(ByteBuffer.wrap(next.audio()), true)
                    : ws.sendText(next.text(), true);
        } catch (RuntimeException e) {
            sending = CompletableFuture.failedFuture(e);
        }
        sending.whenComplete((done, error) -> sent(gen, error));
    }

    private void sent(int gen, Throwable error) {
        if (error != null) {
            lost(gen, "sending to Deepgram failed: " + describe(error));
            return;
        }
        synchronized (this) {
            if (gen != generation) {
                return;
            }
            inFlight = false;
        }
        pump();
    }

    private void connect() {
        int gen;
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            reconnect = null;
            gen = ++generation;
        }
        CompletableFuture<WebSocket> opening;
        try {
            opening = http.newWebSocketBuilder()
                    .header("Authorization", "Token " + settings.apiKey())
                    .connectTimeout(settings.connectTimeout())
                    .buildAsync(uri, new Receiver(gen));
        } catch (RuntimeException e) {
            opening = CompletableFuture.failedFuture(e);
        }
        opening.whenCompleteAsync((ws, error) -> opened(gen, ws, error), scheduler);
    }

    private void opened(int gen, WebSocket ws, Throwable error) {
        if (error != null) {
            connections.failed(describe(error));
            lost(gen, "could not connect to Deepgram: " + describe(error));
            return;
        }
        connections.connected();
        boolean resendTrimmed;
        synchronized (this) {
            if (gen != generation || state == State.CLOSED) {
                ws.abort();
                return;
            }
            socket = ws;
            inFlight = false;
            lastSentNanos = System.nanoTime();
            offset = unconfirmed.isEmpty() ? received : unconfirmed.peek().start();
            outbound.clear();
            boolean finalizePlaced = finalizeAt < 0;
            finalizeAskedNanos = System.nanoTime();
            if (!finalizePlaced && finalizeAt <= offset) {
                outbound.add(FINALIZE);
                finalizePlaced = true;
            }
            for (Chunk chunk : unconfirmed) {
                outbound.add(Outbound.audio(chunk.bytes()));
                if (!finalizePlaced && chunk.end() >= finalizeAt) {
                    outbound.add(FINALIZE);
                    finalizePlaced = true;
                }
            }
            if (state == State.CLOSING) {
                outbound.add(CLOSE_STREAM);
            }
            resendTrimmed = trimmedSinceFinal;
        }
        if (resendTrimmed) {
            report("more than " + settings.maxResend().toSeconds() + " s of audio since the last final result: "
                    + "only the most recent part was kept to send to the new connection");
        }
        pump();
    }

    /** The connection failed or dropped: reconnect with back-off, unless the stream is over. */
    private void lost(int gen, String problem) {
        WebSocket old;
        synchronized (this) {
            if (gen != generation || state == State.CLOSED) {
                return;
            }
            old = socket;
            socket = null;
            inFlight = false;
            outbound.clear();
            generation++;
            long first = settings.reconnectBackoff().toMillis();
            long delay = Math.min(settings.maxReconnectBackoff().toMillis(), first << Math.min(failures, 20));
            failures++;
            reconnect = scheduler.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
        }
        if (old != null) {
            old.abort();
        }
        report(problem);
    }

    private void keepAliveIfIdle() {
        int stuck = -1;
        String why = null;
        synchronized (this) {
            long now = System.nanoTime();
            // A send that has not completed within the connect timeout will not: the connection is stuck.
            if (socket != null && inFlight && now - lastSentNanos > settings.connectTimeout().toNanos()) {
                stuck = generation;
                why = "a send to Deepgram took longer than " + settings.connectTimeout().toMillis() + " ms";
            } else if (socket != null && finalizeAt >= 0 && now - finalizeAskedNanos > settings.closeTimeout().toNanos()) {
                // Deepgram answers Finalize at once; a connection that does not is hung, and turn-taking waits.
                stuck = generation;
                why = "Deepgram did not answer Finalize within " + settings.closeTimeout().toMillis() + " ms";
            }
        }
        if (stuck >= 0) {
            lost(stuck, why);
            return;
        }
        synchronized (this) {
            if (state != State.OPEN || socket == null || inFlight || !outbound.isEmpty()
                    || System.nanoTime() - lastSentNanos < settings.keepAliveEvery().toNanos()) {
                return;
            }
            outbound.add(KEEP_ALIVE);
        }
        pump();
    }

    private void closeTimedOut() {
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
        }
        report("Deepgram did not close the stream within " + settings.closeTimeout().toMillis()
                + " ms of CloseStream; results still due are lost");
        finish();
    }

    private void finish() {
        WebSocket ws;
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            ws = socket;
            socket = null;
            generation++;
            outbound.clear();
            unconfirmed.clear();
            unconfirmedBytes = 0;
            keepAlive.cancel(false);
            if (reconnect != null) {
                reconnect.cancel(false);
            }
            if (closeDeadline != null) {
                closeDeadline.cancel(false);
            }
        }
        if (ws != null) {
            ws.abort();
        }
        closed.complete(null);
    }

    /** The call-timeline second of the connection's second zero, or null if that connection is superseded. */
    private Double base(int gen) {
        synchronized (this) {
            return gen == generation && state != State.CLOSED ? offset / BYTES_PER_SECOND : null;
        }
    }

    private void message(int gen, String text) {
        Double base = base(gen);
        if (base == null) {
            return;
        }
        JsonNode json;
        try {
            json = JSON.readTree(text);
        } catch (IOException e) {
            report("unreadable message from Deepgram: " + abbreviate(text));
            return;
        }
        String type = json.path("type").asText();
        switch (type) {
            case "Results" -> results(gen, base, json);
            case "SpeechStarted" -> {
                confirmed(gen);
                deliver(() -> listener.onSpeechStarted(base + json.path("timestamp").asDouble()));
            }
            case "UtteranceEnd" -> {
                confirmed(gen);
                deliver(() -> listener.onUtteranceEnd(base + json.path("last_word_end").asDouble()));
            }
            case "Metadata" -> LOG.debug("Deepgram metadata for call {}: {}", callId, abbreviate(text));
            case "Error" -> report("Deepgram reported an error: " + json.path("description").asText(
                    json.path("message").asText(abbreviate(text))));
            // Deepgram adds message types over time; an unknown one is no reason to disturb the call.
            default -> LOG.debug("ignored Deepgram message of type '{}': {}", type, abbreviate(text));
        }
    }

    private void results(int gen, double base, JsonNode json) {
        JsonNode alternative = json.path("channel").path("alternatives").path(0);
        List<Word> words = new ArrayList<>();
        for (JsonNode w : alternative.path("words")) {
            String shown = w.hasNonNull("punctuated_word") ? w.get("punctuated_word").asText() : w.path("word").asText();
            words.add(new Word(shown, base + w.path("start").asDouble(), base + w.path("end").asDouble(),
                    w.path("confidence").asDouble()));
        }
        double start = json.path("start").asDouble();
        double duration = json.path("duration").asDouble();
        boolean isFinal = json.path("is_final").asBoolean();
        boolean fromFinalize = json.path("from_finalize").asBoolean();
        Transcript transcript = new Transcript(alternative.path("transcript").asText(""), isFinal,
                json.path("speech_final").asBoolean(), fromFinalize, base + start, duration, words);
        synchronized (this) {
            if (gen != generation) {
                return;
            }
            failures = 0;
            if (fromFinalize) {
                finalizeAt = -1;
            }
            if (isFinal) {
                dropConfirmed(offset + Math.round((start + duration) * BYTES_PER_SECOND));
            }
        }
        deliver(() -> listener.onTranscript(transcript));
    }

    /** A well-formed message proves the connection works: the next failure starts the back-off afresh. */
    private synchronized void confirmed(int gen) {
        if (gen == generation) {
            failures = 0;
        }
    }

    /** Forgets the audio before {@code cut} (call timeline, bytes): a final result covers it. */
    private void dropConfirmed(long cut) {
        while (!unconfirmed.isEmpty() && unconfirmed.peek().end() <= cut) {
            unconfirmedBytes -= unconfirmed.remove().bytes().length;
        }
        Chunk first = unconfirmed.peek();
        if (first != null && first.start() < cut) {
            int keepFrom = (int) (cut - first.start());
            unconfirmed.remove();
            unconfirmed.addFirst(new Chunk(cut, Arrays.copyOfRange(first.bytes(), keepFrom, first.bytes().length)));
            unconfirmedBytes -= keepFrom;
        }
        trimmedSinceFinal = false;
    }

    private void serverClosed(int gen, int code, String reason) {
        boolean over;
        synchronized (this) {
            if (gen != generation) {
                return;
            }
            over = state != State.OPEN;
        }
        if (over) {
            finish();
        } else {
            lost(gen, "Deepgram closed the stream: " + code + (reason.isEmpty() ? "" : " " + reason));
        }
    }

    private void report(String problem) {
        LOG.debug("call {}: {}", callId, problem);
        deliver(() -> listener.onError(problem));
    }

    /** A failing listener must not take the stream down with it. */
    private static void deliver(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.warn("transcript listener failed", e);
        }
    }

    private static String describe(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof WebSocketHandshakeException handshake) {
            var response = handshake.getResponse();
            return "HTTP " + response.statusCode()
                    + response.headers().firstValue("dg-error").map(e -> " (" + e + ")").orElse("");
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    /** Receives one connection's messages; Deepgram sends JSON text only, so binary frames are dropped. */
    private final class Receiver implements WebSocket.Listener {

        private final int gen;
        private final StringBuilder partial = new StringBuilder();

        Receiver(int gen) {
            this.gen = gen;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                message(gen, text);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            serverClosed(gen, statusCode, reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            lost(gen, "Deepgram connection failed: " + describe(error));
        }
    }
}
