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
 * scripted replies in turn, in the form the request asks for: with {@code "stream": true} as Server-Sent Events
 * of {@code choices[0].delta.content} pieces ending with {@code data: [DONE]}; without, as one
 * {@code chat.completion} object, sent once the whole answer is ready. Every request is kept for the tests to
 * inspect.
 */
final class OpenAiStandIn implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ID = "chatcmpl-stand-in";
    private static final String MODEL = "parley-test-model";
    private static final long CREATED = 1_767_225_600L;

    /** One request as received; header names in lower case. */
    record Request(String method, String path, Map<String, String> headers, JsonNode body) {}

    sealed interface Reply {}

    /**
     * An answer: streamed, the pieces are sent {@code gap} apart, the first after {@code firstTokenDelay};
     * whole, it is sent when the last piece would have been. {@code finishReason} "length" is how a model
     * reports an answer cut short by its token limit.
     */
    record Completion(List<String> pieces, Duration firstTokenDelay, Duration gap, String finishReason)
            implements Reply {}

    /** An HTTP error with OpenAI's error body. */
    record Failure(int status, String type, String message) implements Reply {}

    /** The answer cut into pieces of {@code size} characters, streamed quickly and finished normally. */
    static Completion streamed(String answer, int size) {
        return new Completion(pieces(answer, size), Duration.ZERO, Duration.ofMillis(2), "stop");
    }

    /** The answer in one piece, ready after {@code delay}: how a test scripts a whole (non-streamed) answer. */
    static Completion whole(String answer, Duration delay) {
        return new Completion(List.of(answer), delay, Duration.ZERO, "stop");
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
    private volatile java.util.function.Function<JsonNode, Reply> unscripted =
            request -> new Failure(500, "server_error", "the stand-in has no reply scripted");

    OpenAiStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(workers);
        server.start();
    }

    /** A stand-in on a free port, for a test class to keep in a static field. */
    static OpenAiStandIn started() {
        try {
            return new OpenAiStandIn();
        } catch (IOException e) {
            throw new IllegalStateException("the model stand-in could not start", e);
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    void script(Reply... replies) {
        script.addAll(List.of(replies));
    }

    /** How a request is answered once the scripted replies have run out: by default, with an HTTP 500. */
    void otherwise(java.util.function.Function<JsonNode, Reply> answer) {
        unscripted = answer;
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
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body));
        Reply reply = script.poll();
        if (reply == null) {
            reply = unscripted.apply(body);
        }
        try (exchange) {
            if (reply instanceof Failure failure) {
                fail(exchange, failure);
            } else if (body.path("stream").asBoolean(false)) {
                stream(exchange, (Completion) reply);
            } else {
                answerWhole(exchange, (Completion) reply, body);
            }
        }
    }

    private void answerWhole(HttpExchange exchange, Completion reply, JsonNode request) throws IOException {
        try {
            Thread.sleep(reply.firstTokenDelay().plus(reply.gap().multipliedBy(reply.pieces().size())).toMillis());
        } catch (InterruptedException closing) {
            Thread.currentThread().interrupt();
            return;
        }
        String content = String.join("", reply.pieces());
        ObjectNode completion = JSON.createObjectNode()
                .put("id", ID).put("object", "chat.completion").put("created", CREATED).put("model", MODEL);
        ObjectNode choice = completion.putArray("choices").addObject().put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", content).putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", reply.finishReason());
        int prompt = 0;
        for (JsonNode message : request.path("messages")) {
            prompt += tokens(message.path("content").asText());
        }
        int completionTokens = tokens(content);
        completion.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completionTokens)
                .put("total_tokens", prompt + completionTokens);
        byte[] bytes = JSON.writeValueAsBytes(completion);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** The stand-in has no tokenizer: about four characters a token, as OpenAI's guidance has it. */
    private static int tokens(String text) {
        return (text.length() + 3) / 4;
    }

    private void fail(HttpExchange exchange, Failure failure) throws IOException {
        ObjectNode error = JSON.createObjectNode();
        error.putObject("error").put("message", failure.message()).put("type", failure.type());
        byte[] bytes = JSON.writeValueAsBytes(error);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(failure.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private void stream(HttpExchange exchange, Completion reply) {
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
                .put("id", ID).put("object", "chat.completion.chunk").put("created", CREATED).put("model", MODEL);
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
