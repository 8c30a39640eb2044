package parley.hearing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores the windows of all live calls with as few ONNX runs as possible. A window waits at most
 * {@code batchWindowMs} for windows of other calls to join it, then all of them go through the model in one
 * batched run; each call's result is handed back to that call. A call has at most one window per run, since
 * its next window needs the state the previous one leaves.
 *
 * <p>The wait is the price of batching: with many calls, a 32 ms window gives one run per window period, a
 * 10 ms one about three, and adds at most that much to every detection.
 */
public final class VadBatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VadBatcher.class);

    /** What a scored window is handed to: the call's own code, on its own lane. */
    public interface Listener {
        void scored(float probability);
    }

    private record Pending(SileroVad.Stream stream, float[] window, Listener listener, long submittedNanos) {
    }

    private final SileroVad vad;
    private final long batchWindowNanos;
    private final int maxWaitingPerCall;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final DistributionSummary batchSizes;
    private final Thread scorer;
    /** The streams already in the batch being collected: a call has at most one window per run. */
    private final Set<SileroVad.Stream> inBatch = Collections.newSetFromMap(new IdentityHashMap<>());
    private volatile boolean running = true;

    public VadBatcher(SileroVad vad, long batchWindowMs, int maxWaitingPerCall, MeterRegistry meters) {
        this.vad = vad;
        this.maxWaitingPerCall = maxWaitingPerCall;
        this.batchWindowNanos = TimeUnit.MILLISECONDS.toNanos(batchWindowMs);
        this.batchSizes = DistributionSummary.builder("parley.vad.batch.size")
                .description("Windows scored per ONNX run").register(meters);
        this.scorer = new Thread(this::run, "parley-vad");
        scorer.setDaemon(true);
        scorer.start();
    }

    /**
     * Queues a call's window for scoring; false, and the window is dropped, when the call already has
     * {@code maxWaitingPerCall} windows waiting (the scorer has fallen that far behind, or the call sends audio
     * faster than real time).
     */
    public boolean submit(SileroVad.Stream stream, float[] window, Listener listener) {
        if (stream.waiting.incrementAndGet() > maxWaitingPerCall) {
            stream.waiting.decrementAndGet();
            return false;
        }
        queue.add(new Pending(stream, window, listener, System.nanoTime()));
        return true;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        List<Pending> deferred = new ArrayList<>();
        while (running) {
            try {
                collect(batch, deferred);
                score(batch);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("Voice-activity scoring failed for {} windows; those calls miss one window", batch.size(), e);
            }
            batch.clear();
        }
    }

    private void collect(List<Pending> batch, List<Pending> deferred) throws InterruptedException {
        inBatch.clear();
        // Windows held back from the previous run go first, in order.
        List<Pending> carried = new ArrayList<>(deferred);
        deferred.clear();
        for (Pending pending : carried) {
            add(batch, deferred, pending);
        }
        if (batch.isEmpty()) {
            add(batch, deferred, queue.take());
        }
        long deadline = batch.get(0).submittedNanos() + batchWindowNanos;
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            Pending next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            add(batch, deferred, next);
        }
        for (Pending next = queue.poll(); next != null; next = queue.poll()) {
            add(batch, deferred, next);
        }
    }

    private void add(List<Pending> batch, List<Pending> deferred, Pending pending) {
        if (inBatch.add(pending.stream())) {
            batch.add(pending);
        } else {
            deferred.add(pending);
        }
    }

    private void score(List<Pending> batch) {
        List<SileroVad.Stream> streams = new ArrayList<>(batch.size());
        List<float[]> windows = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            streams.add(pending.stream());
            windows.add(pending.window());
        }
        float[] scores;
        try {
            scores = vad.score(streams, windows);
        } finally {
            streams.forEach(stream -> stream.waiting.decrementAndGet());
        }
        batchSizes.record(batch.size());
        for (int i = 0; i < scores.length; i++) {
            batch.get(i).listener().scored(scores[i]);
        }
    }

    @Override
    public void close() {
        running = false;
        scorer.interrupt();
    }
}
