package parley.call;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SerialLaneTest {

    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void keepsEachLanesOrderWhileLanesRunInParallel() throws InterruptedException {
        int lanes = 6;
        int tasks = 20_000;
        List<List<Integer>> seen = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(lanes * tasks);
        List<SerialLane> all = new ArrayList<>();
        for (int l = 0; l < lanes; l++) {
            seen.add(Collections.synchronizedList(new ArrayList<>()));
            all.add(new SerialLane(pool, Integer.MAX_VALUE));
        }
        for (int i = 0; i < tasks; i++) {
            for (int l = 0; l < lanes; l++) {
                int n = i;
                List<Integer> into = seen.get(l);
                all.get(l).offer(() -> {
                    into.add(n);
                    done.countDown();
                });
            }
        }
        assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
        for (List<Integer> lane : seen) {
            assertThat(lane).hasSize(tasks).isSorted();
        }
    }

    @Test
    void refusesFramesBeyondItsCapacityButAlwaysTakesControlWork() throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        SerialLane lane = new SerialLane(pool, 3);
        lane.offer(() -> {
            running.countDown();
            await(release);
        });
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 3; i++) {
            assertThat(lane.offer(() -> { })).isTrue();
        }
        assertThat(lane.offer(() -> { })).as("a fourth frame while three wait").isFalse();
        lane.force(done::countDown);
        release.countDown();
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(lane.queued()).isZero();
    }

    @Test
    void aFailingTaskDoesNotStopTheLane() throws InterruptedException {
        CountDownLatch after = new CountDownLatch(1);
        SerialLane lane = new SerialLane(pool, 10);
        lane.offer(() -> {
            throw new IllegalStateException("boom");
        });
        lane.offer(after::countDown);
        assertThat(after.await(5, TimeUnit.SECONDS)).isTrue();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
