package parley.stt;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Deepgram live speech-to-text over {@code java.net.http.WebSocket}: one WebSocket per call, raw mu-law 8 kHz
 * straight from Twilio, results mapped onto the call's timeline.
 *
 * <p>The stream is opened as
 * {@code <url>?model=M&encoding=mulaw&sample_rate=8000&channels=1&interim_results=true&endpointing=E
 * &utterance_end_ms=U&vad_events=true&smart_format=true&tag=<callId>} followed by one
 * {@code extra=<name>:<value>} per forwarded call parameter (see {@link DeepgramSettings#forwardedParameterPrefix}),
 * with {@code Authorization: Token <key>}. The {@code tag} labels the stream in Deepgram's usage reports with
 * the call, and lets the {@link SandboxRecognizer} carry a call on across reconnections.
 *
 * <p>What a stream does beyond passing audio: it sends {@code KeepAlive} when nothing went out for
 * {@link DeepgramSettings#keepAliveEvery()}, {@code Finalize} when asked, and {@code CloseStream} at hang-up.
 * When the socket drops or fails mid-call it reconnects with back-off and resends every byte since the last
 * final result, so no words are lost; Deepgram restarts its clock at zero on each connection, so results are
 * shifted back onto the call's timeline. Callers are never blocked: audio is queued and sent from the client's
 * own threads, one frame in flight at a time as the JDK WebSocket requires.
 *
 * <p>Close the client after its streams: it owns the threads that drive them.
 */
public final class DeepgramLiveClient implements SpeechToText, AutoCloseable {

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final DeepgramSettings settings;
    private final HttpClient http;
    private final ScheduledThreadPoolExecutor scheduler;
    private final ConnectionHistory connections = new ConnectionHistory();

    public DeepgramLiveClient(DeepgramSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout()).build();
        // Two threads: a slow name lookup while one stream reconnects must not hold up every other call's audio.
        this.scheduler = new ScheduledThreadPoolExecutor(2, task -> {
            Thread thread = new Thread(task, "parley-deepgram-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
    }

    @Override
    public RecognitionStream open(String callId, Map<String, String> callParameters, TranscriptListener listener) {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(callParameters, "callParameters");
        Objects.requireNonNull(listener, "listener");
        DeepgramStream stream = new DeepgramStream(callId, streamUri(callId, callParameters), settings, http, scheduler,
                listener, connections);
        stream.start();
        return stream;
    }

    /** How the latest connection attempt of any stream went. */
    public ConnectionHistory connections() {
        return connections;
    }

    @Override
    public String name() {
        return "deepgram " + settings.model() + " at " + settings.url().getHost() + ":" + settings.url().getPort();
    }

    /** Stops the client's threads; streams still open stop sending. */
    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    URI streamUri(String callId, Map<String, String> callParameters) {
        StringBuilder query = new StringBuilder()
                .append("model=").append(encode(settings.model()))
                .append("&encoding=mulaw&sample_rate=8000&channels=1&interim_results=true")
                .append("&endpointing=").append(settings.endpointingMs() > 0 ? settings.endpointingMs() : "false")
                .append("&utterance_end_ms=").append(settings.utteranceEndMs())
                .append("&vad_events=true&smart_format=true")
                .append("&tag=").append(encode(callId));
        String prefix = settings.forwardedParameterPrefix();
        if (!prefix.isEmpty()) {
            // Shorter names first, so that line-2 comes before line-10.
            callParameters.entrySet().stream()
                    .filter(p -> p.getKey().startsWith(prefix))
                    .sorted(Map.Entry.<String, String>comparingByKey(
                            Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder())))
                    .forEach(p -> query.append("&extra=").append(encode(p.getKey() + ":" + p.getValue())));
        }
        return URI.create(settings.url() + "?" + query);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
