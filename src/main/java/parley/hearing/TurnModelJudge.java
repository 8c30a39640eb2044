package parley.hearing;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the turn model for every call on a few threads of its own: a run takes tens of milliseconds, too long
 * for a call's lane (its frames would wait) and far too long for an event loop. The backlog is bounded; a
 * pause that finds it full is left to the words alone, because a verdict that comes late is worth less than
 * none. So is a pause beyond {@code maxRunsPerSecond}: at about 35 ms of a core a run, the model would
 * otherwise take a whole core from the calls' audio on a busy instance, and a late frame hurts every call
 * where a missing verdict only costs one answer a few hundred milliseconds.
 */
public final class TurnModelJudge implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TurnModelJudge.class);

    private final TurnModel model;
    private final float threshold;
    private final ThreadPoolExecutor runner;
    private final Counter busy;
    private final Timer runs;
    private final double runsPerNano;
    private final double burst;
    private final LongSupplier nanoTime;
    private double allowance;
    private long refilledAt;

    public TurnModelJudge(TurnModel model, float threshold, int threads, int maxWaiting, double maxRunsPerSecond,
                          LongSupplier nanoTime, MeterRegistry meters) {
        if (maxRunsPerSecond <= 0) {
            throw new IllegalArgumentException("the turn model needs max-runs-per-second above 0");
        }
        this.model = model;
        this.threshold = threshold;
        this.runsPerNano = maxRunsPerSecond / 1e9;
        this.burst = Math.max(1, maxRunsPerSecond);
        this.nanoTime = nanoTime;
        this.allowance = burst;
        this.refilledAt = nanoTime.getAsLong();
        AtomicInteger count = new AtomicInteger();
        this.runner = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(maxWaiting), work -> {
                    Thread thread = new Thread(work, "parley-turn-model-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
        this.busy = Counter.builder("parley.turn-model.busy")
                .description("Pauses left to the words alone: the turn model had too many waiting, or had run "
                        + "max-runs-per-second")
                .register(meters);
        this.runs = Timer.builder("parley.turn-model.run").description("One hearing of a turn by the turn model")
                .register(meters);
    }

    /**
     * Queues a hearing of the caller's audio; the verdict (finished or not) goes to {@code verdict} on the
     * model's thread. False when the backlog is full: no verdict will come. A model that fails gives none
     * either, and is logged.
     */
    public boolean hear(float[] phoneAudio, Consumer<Boolean> verdict) {
        if (!takeRun()) {
            busy.increment();
            return false;
        }
        try {
            runner.execute(() -> {
                float probability;
                long started = System.nanoTime();
                try {
                    probability = model.completeProbability(phoneAudio, phoneAudio.length);
                } catch (RuntimeException e) {
                    LOG.warn("The turn model failed; the words decide this pause", e);
                    return;
                } finally {
                    runs.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                }
                LOG.debug("Heard {} ms of the caller: complete with probability {}", phoneAudio.length / 8,
                        probability);
                verdict.accept(probability >= threshold);
            });
            return true;
        } catch (RejectedExecutionException full) {
            busy.increment();
            return false;
        }
    }

    private synchronized boolean takeRun() {
        long now = nanoTime.getAsLong();
        allowance = Math.min(burst, allowance + (now - refilledAt) * runsPerNano);
        refilledAt = now;
        if (allowance < 1) {
            return false;
        }
        allowance--;
        return true;
    }

    @Override
    public void close() {
        runner.shutdownNow();
    }
}
