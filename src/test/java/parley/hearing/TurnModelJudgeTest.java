package parley.hearing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The judge's bounds: what a pause gets when the model is busy, rationed or failing. */
class TurnModelJudgeTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicLong nanos = new AtomicLong();
    private final LinkedBlockingQueue<Boolean> verdicts = new LinkedBlockingQueue<>();
    private TurnModelJudge judge;

    @AfterEach
    void close() {
        judge.close();
    }

    private TurnModelJudge judge(TurnModel model, int maxWaiting, double runsPerSecond) {
        judge = new TurnModelJudge(model, 0.5f, 1, maxWaiting, runsPerSecond, nanos::get, meters);
        return judge;
    }

    private double busy() {
        return meters.counter("parley.turn-model.busy").count();
    }

    @Test
    void theVerdictIsTheProbabilityAgainstTheThreshold() throws Exception {
        float[] probability = {0.49f};
        judge((audio, length) -> probability[0], 2, 10);
        assertThat(judge.hear(new float[8], verdicts::add)).isTrue();
        assertThat(verdicts.poll(10, TimeUnit.SECONDS)).isFalse();
        probability[0] = 0.5f;
        assertThat(judge.hear(new float[8], verdicts::add)).isTrue();
        assertThat(verdicts.poll(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aPauseThatFindsTheBacklogFullIsLeftToTheWords() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<Void> release = new CompletableFuture<>();
        judge((audio, length) -> {
            running.countDown();
            release.join();
            return 1f;
        }, 2, 100);
        assertThat(judge.hear(new float[8], verdicts::add)).isTrue();
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(judge.hear(new float[8], verdicts::add)).as("waiting: 1").isTrue();
        assertThat(judge.hear(new float[8], verdicts::add)).as("waiting: 2").isTrue();

        assertThat(judge.hear(new float[8], verdicts::add)).isFalse();
        assertThat(busy()).isEqualTo(1);
        release.complete(null);
        for (int i = 0; i < 3; i++) {
            assertThat(verdicts.poll(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void runsBeyondTheRateAreLeftToTheWordsUntilTimeHasPassed() throws Exception {
        judge((audio, length) -> 1f, 16, 2);
        assertThat(judge.hear(new float[8], verdicts::add)).isTrue();
        assertThat(judge.hear(new float[8], verdicts::add)).isTrue();
        assertThat(judge.hear(new float[8], verdicts::add)).as("two a second, both taken").isFalse();
        assertThat(busy()).isEqualTo(1);

        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(499));
        assertThat(judge.hear(new float[8], verdicts::add)).isFalse();
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        assertThat(judge.hear(new float[8], verdicts::add)).as("half a second: one more").isTrue();
        assertThat(busy()).isEqualTo(2);
    }

    @Test
    void aModelThatFailsGivesNoVerdictAndTheNextPauseIsHeard() throws Exception {
        judge((audio, length) -> {
            if (length == 1) {
                throw new IllegalStateException("onnxruntime: out of memory");
            }
            return 0.9f;
        }, 2, 10);
        assertThat(judge.hear(new float[1], verdicts::add)).isTrue();
        assertThat(judge.hear(new float[8], verdicts::add)).isTrue();

        assertThat(verdicts.poll(10, TimeUnit.SECONDS)).isTrue();
        assertThat(verdicts).as("nothing from the failed run").isEmpty();
    }
}
