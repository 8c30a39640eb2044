package parley.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A bare Media Streams peer for tests that need to send what Twilio would not: raw frames, garbage, floods.
 * Whole well-behaved calls go through the call simulator instead.
 */
public final class TwilioPeer implements WebSocket.Listener, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** 20 ms of mu-law silence, as a phone line sends when nobody speaks. */
    public static final byte[] SILENCE_FRAME = silenceFrame();
    public static final HttpClient HTTP = HttpClient.newHttpClient();

    public final String callSid;
    public final String streamSid;
    public final List<JsonNode> received = new CopyOnWriteArrayList<>();
    public final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;
    private int sequence;
    private int chunk;

    private TwilioPeer(String callSid) {
        this.callSid = callSid;
        this.streamSid = "MZ" + callSid.substring(2);
    }

    public static TwilioPeer connect(URI url, String callSid, Map<String, String> headers) {
        TwilioPeer peer = new TwilioPeer(callSid);
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        peer.socket = builder.buildAsync(url, peer).join();
        return peer;
    }

    public TwilioPeer send(String frame) {
        socket.sendText(frame, true).join();
        return this;
    }

    public TwilioPeer sendBinary(byte[] frame) {
        socket.sendBinary(ByteBuffer.wrap(frame), true).join();
        return this;
    }

    public TwilioPeer connected() {
        return send("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}");
    }

    public TwilioPeer start(Map<String, String> parameters) {
        ObjectNode start = JSON.createObjectNode().put("event", "start").put("sequenceNumber", next())
                .put("streamSid", streamSid);
        ObjectNode body = start.putObject("start").put("accountSid", "AC0").put("streamSid", streamSid)
                .put("callSid", callSid);
        body.putArray("tracks").add("inbound");
        body.putObject("mediaFormat").put("encoding", "audio/x-mulaw").put("sampleRate", 8000).put("channels", 1);
        ObjectNode custom = body.putObject("customParameters");
        parameters.forEach(custom::put);
        return send(start.toString());
    }

    public TwilioPeer media(byte[] audio) {
        chunk++;
        return send(mediaFrame(next(), chunk, (chunk - 1) * 20L, Base64.getEncoder().encodeToString(audio)));
    }

    public String mediaFrame(String sequenceNumber, long chunkNumber, long timestamp, String payload) {
        return "{\"event\":\"media\",\"sequenceNumber\":\"" + sequenceNumber + "\",\"streamSid\":\"" + streamSid
                + "\",\"media\":{\"track\":\"inbound\",\"chunk\":\"" + chunkNumber + "\",\"timestamp\":\"" + timestamp
                + "\",\"payload\":\"" + payload + "\"}}";
    }

    public TwilioPeer mark(String name) {
        return send("{\"event\":\"mark\",\"streamSid\":\"" + streamSid + "\",\"sequenceNumber\":\"" + next()
                + "\",\"mark\":{\"name\":\"" + name + "\"}}");
    }

    public TwilioPeer stop() {
        return send("{\"event\":\"stop\",\"streamSid\":\"" + streamSid + "\",\"sequenceNumber\":\"" + next()
                + "\",\"stop\":{\"accountSid\":\"AC0\",\"callSid\":\"" + callSid + "\"}}");
    }

    /** Echoes every mark Parley has sent so far, as Twilio would once their audio had played. */
    public TwilioPeer echoMarks() {
        matching(event("mark")).forEach(mark -> mark(mark.at("/mark/name").asText()));
        return this;
    }

    private static byte[] silenceFrame() {
        byte[] frame = new byte[160];
        java.util.Arrays.fill(frame, (byte) 0xFF);
        return frame;
    }

    public String next() {
        return Integer.toString(++sequence);
    }

    /** Waits until Parley has sent at least {@code count} messages matching {@code which}. */
    public List<JsonNode> await(Predicate<JsonNode> which, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<JsonNode> matching = matching(which);
            if (matching.size() >= count) {
                return matching;
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        throw new AssertionError("Parley sent " + matching(which).size() + " of " + count + " expected messages in "
                + timeout + "; got " + received.size() + " messages in all");
    }

    public List<JsonNode> matching(Predicate<JsonNode> which) {
        List<JsonNode> matching = new ArrayList<>();
        for (JsonNode message : received) {
            if (which.test(message)) {
                matching.add(message);
            }
        }
        return matching;
    }

    public static Predicate<JsonNode> event(String name) {
        return message -> name.equals(message.path("event").asText());
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                received.add(JSON.readTree(partial.toString()));
            } catch (Exception e) {
                throw new AssertionError("Parley sent a frame that is not JSON: " + partial, e);
            } finally {
                partial.setLength(0);
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    @Override
    public void close() {
        // Parley may have closed first; a close racing that one is not an error.
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").handle((ignored, error) -> null).join();
        try {
            closed.get(2, TimeUnit.SECONDS);
        } catch (Exception answerNeverCame) {
            // Dropped below all the same.
        } finally {
            socket.abort();
        }
    }
}
