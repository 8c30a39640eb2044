package parley.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible chat endpoint on a loopback port: {@code POST /v1/chat/completions} is answered with the
 * scripted replies in turn, a streamed one as Server-Sent Events of {@code choices[0].delta.content} pieces
 * ending with {@code data: [DONE]}. Every request is kept for the tests to inspect.
 */
final class OpenAiStandIn implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received; header names in lower case. */
    record Request(String method, String path, Map<String, String> headers, JsonNode body) {}

    sealed interface Reply {}

    /**
     * A streamed answer: the pieces are sent {@code gap} apart, the first after {@code firstTokenDelay};
     * {@code finishReason} "length" is how a model reports an answer cut short by its token limit.
     */
    record Streamed(List<String> pieces, Duration firstTokenDelay, Duration gap, String finishReason)
            implements Reply {}

    /** An HTTP error with OpenAI's error body. */
    record Failure(int status, String type, String message) implements Reply {}

    /** The answer cut into pieces of {@code size} characters, streamed quickly and finished normally. */
    static Streamed streamed(String answer, int size) {
        return new Streamed(pieces(answer, size), Duration.ZERO, Duration.ofMillis(2), "stop");
    }

    static List<String> pieces(String text, int size) {
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < text.length(); i += size) {
            pieces.add(text.substring(i, Math.min(text.length(), i + size)));
        }
        return pieces;
    }

    private final HttpServer server;
    private final ExecutorService workers = Executors.newCachedThreadPool();
    private final Queue<Reply> script = new ConcurrentLinkedQueue<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Long> lastPiecesSent = new CopyOnWriteArrayList<>();
    private final AtomicInteger abandoned = new AtomicInteger();

    OpenAiStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(workers);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    void script(Reply... replies) {
        script.addAll(List.of(replies));
    }

    List<Request> requests() {
        return requests;
    }

    /** {@link System#nanoTime()} just before each streamed reply's last piece was sent, in order. */
    List<Long> lastPiecesSent() {
        return lastPiecesSent;
    }

    /** How many streamed replies the client stopped reading before their end. */
    int abandoned() {
        return abandoned.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, String> headers = new ConcurrentHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
        byte[] body = exchange.getRequestBody().readAllBytes();
        requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers,
                JSON.readTree(body)));
        Reply reply = script.poll();
        if (reply == null) {
            reply = new Failure(500, "server_error", "the stand-in has no reply scripted");
        }
        try (exchange) {
            if (reply instanceof Failure failure) {
                fail(exchange, failure);
            } else {
                stream(exchange, (Streamed) reply);
            }
        }
    }

    private void fail(HttpExchange exchange, Failure failure) throws IOException {
        ObjectNode error = JSON.createObjectNode();
        error.putObject("error").put("message", failure.message()).put("type", failure.type());
        byte[] bytes = JSON.writeValueAsBytes(error);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(failure.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private void stream(HttpExchange exchange, Streamed reply) {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        try {
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            send(out, delta(JSON.createObjectNode().put("role", "assistant").put("content", ""), null));
            Thread.sleep(reply.firstTokenDelay().toMillis());
            for (int i = 0; i < reply.pieces().size(); i++) {
                if (i == reply.pieces().size() - 1) {
                    lastPiecesSent.add(System.nanoTime());
                }
                send(out, delta(JSON.createObjectNode().put("content", reply.pieces().get(i)), null));
                Thread.sleep(reply.gap().toMillis());
            }
            send(out, delta(JSON.createObjectNode(), reply.finishReason()));
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException stoppedReading) {
            abandoned.incrementAndGet();
        } catch (InterruptedException closing) {
            Thread.currentThread().interrupt();
        }
    }

    private static String delta(ObjectNode delta, String finishReason) {
        ObjectNode chunk = JSON.createObjectNode()
                .put("id", "chatcmpl-stand-in").put("object", "chat.completion.chunk")
                .put("created", 1_767_225_600L).put("model", "parley-test-model");
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        choice.put("finish_reason", finishReason);
        return chunk.toString();
    }

    private static void send(OutputStream out, String event) throws IOException {
        out.write(("data: " + event + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
