package parley.call;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one call's work in order, on a pool shared by all calls. Audio, marks and stop must be handled in the
 * order Twilio sent them, while different calls must never wait for each other: each call gets a lane, and a
 * lane occupies at most one pool thread at a time.
 *
 * <p>The lane is bounded: a caller (or a broken peer) that sends faster than the call can be processed gets
 * its surplus frames refused instead of growing memory without limit. Control work (open, close) is always
 * accepted so that a flooded call still ends cleanly.
 */
public final class SerialLane {

    private static final Logger LOG = LoggerFactory.getLogger(SerialLane.class);
    /** Tasks run per turn on a pool thread before the lane yields it, so a busy call cannot starve others. */
    private static final int BATCH = 32;

    private final Executor pool;
    private final int capacity;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    public SerialLane(Executor pool, int capacity) {
        this.pool = pool;
        this.capacity = capacity;
    }

    /** Queues a frame's work; false when the lane is full and the frame is refused. */
    public boolean offer(Runnable task) {
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            return false;
        }
        enqueue(task);
        return true;
    }

    /** Queues control work regardless of the bound. */
    public void force(Runnable task) {
        queued.incrementAndGet();
        enqueue(task);
    }

    public int queued() {
        return queued.get();
    }

    private void enqueue(Runnable task) {
        tasks.add(task);
        if (scheduled.compareAndSet(false, true)) {
            pool.execute(this::drain);
        }
    }

    private void drain() {
        for (int i = 0; i < BATCH; i++) {
            Runnable task = tasks.poll();
            if (task == null) {
                break;
            }
            queued.decrementAndGet();
            try {
                task.run();
            } catch (Throwable t) {
                LOG.error("Call task failed; the call goes on", t);
            }
        }
        scheduled.set(false);
        // A task may have arrived after the last poll but before the flag was cleared.
        if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
            pool.execute(this::drain);
        }
    }
}
