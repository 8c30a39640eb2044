package parley.knowledge;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;

/**
 * Sentence embeddings that can be worked out before they are needed. While a caller's turn winds down (their
 * words are in and the end-of-turn wait is running), what they said is embedded in the background; when the
 * turn ends, the offline policy and retrieval find it done, and the few milliseconds the model takes are off
 * the path from the turn's end to the agent's answer.
 *
 * <p>Read-ahead never makes an answer later: a text whose embedding has not started by the time it is needed
 * is embedded by the one who needs it, and read-ahead that falls behind is dropped.
 */
public final class ReadAheadEmbeddings implements EmbeddingModel, AutoCloseable {

    private static final int KEPT = 256;
    private static final int QUEUED = 16;

    private final EmbeddingModel model;
    private final ThreadPoolExecutor worker;
    private final Map<String, Ahead> ahead = new LinkedHashMap<>(KEPT, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Ahead> eldest) {
            return size() > KEPT;
        }
    };

    public ReadAheadEmbeddings(EmbeddingModel model) {
        this.model = model;
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUED),
                runnable -> {
                    Thread thread = new Thread(runnable, "parley-read-ahead");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** Starts embedding {@code text} in the background, unless that is under way or done already. */
    public void anticipate(String text) {
        if (text == null || text.isBlank()) {
            return;
        }
        Ahead embedding;
        synchronized (ahead) {
            if (ahead.containsKey(text)) {
                return;
            }
            embedding = new Ahead(text);
            ahead.put(text, embedding);
        }
        try {
            worker.execute(embedding);
        } catch (RejectedExecutionException behind) {
            synchronized (ahead) {
                ahead.remove(text, embedding);
            }
        }
    }

    @Override
    public Response<Embedding> embed(String text) {
        Ahead embedding;
        synchronized (ahead) {
            embedding = ahead.get(text);
        }
        if (embedding == null) {
            return model.embed(text);
        }
        embedding.run();
        try {
            return Response.from(embedding.result.join());
        } catch (CompletionException failed) {
            return model.embed(text);
        }
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        return model.embedAll(segments);
    }

    @Override
    public int dimension() {
        return model.dimension();
    }

    @Override
    public String modelName() {
        return model.modelName();
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }

    /** One text's embedding, worked out once by whoever gets to it first: the background worker or a turn. */
    private final class Ahead implements Runnable {
        private final String text;
        private final AtomicBoolean claimed = new AtomicBoolean();
        private final CompletableFuture<Embedding> result = new CompletableFuture<>();

        Ahead(String text) {
            this.text = text;
        }

        @Override
        public void run() {
            if (!claimed.compareAndSet(false, true)) {
                return;
            }
            try {
                result.complete(model.embed(text).content());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }
    }
}
