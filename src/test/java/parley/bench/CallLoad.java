package parley.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import parley.Parley;
import parley.call.CallRegistry;
import parley.conversation.SalesScript;
import parley.conversation.TurnRecord;
import parley.simulator.SimulatedCall;
import parley.simulator.SimulationEvent;
import parley.support.RunningParley;
import parley.support.WatchedCall;

/**
 * A load harness: one Parley on its offline defaults (sandbox recognizer, offline policy, offline voice) takes
 * {@code calls} simulated calls at once, each a whole sales conversation of five caller turns ending in a
 * booked meeting, and prints what they cost and how fast the agent answered.
 *
 * <p>Run it with {@code ./mvnw -q test-compile exec:exec@load-bench}; {@code -Dcalls=N} sets how many calls
 * run at once (default 16). The callers (the simulator, playing Twilio) run in the same JVM: their threads are
 * counted apart from Parley's, so the CPU figure is Parley's own.
 *
 * <p>Figures printed: the agent's reply time, from the moment Parley judged the caller's turn over to the
 * first audio of the answer handed to Twilio (Parley's part of the turn latency); the gap the caller heard,
 * from the end of their speech to the agent's first audio, which adds the end-of-turn wait and Twilio's
 * 20 ms framing; and the CPU Parley used per call, from which the calls one core could carry follow.
 */
public final class CallLoad {

    private static final String[] CALLER_LINES = {
        "Sure, what's this about?",
        "We do maybe forty deliveries a week, planned in a spreadsheet.",
        "Yeah, that could be useful.",
        "It's jane dot doe at example dot com.",
        "Next Tuesday at 10 am works for me.",
    };
    private static final long STAGGER_MS = 300;
    /** Thread names of the simulated Twilio side's tick loops. */
    private static final String CALLER_THREADS = "caller-";

    private CallLoad() {
    }

    public static void main(String[] args) throws Exception {
        int concurrent = Integer.getInteger("calls", 16);
        int port = RunningParley.freePort();
        try (ConfigurableApplicationContext parley = new SpringApplicationBuilder(Parley.class).run(
                "--spring.main.banner-mode=off", "--logging.level.root=WARN",
                "--server.address=127.0.0.1", "--server.port=" + port,
                "--parley.public-url=http://127.0.0.1:" + port)) {
            CallRegistry registry = parley.getBean(CallRegistry.class);
            String media = "ws://127.0.0.1:" + port + "/twilio/media";
            System.out.printf("Warming up with one call...%n");
            place(registry, media, "CAwarmup");

            CpuUse cpu = new CpuUse();
            long started = System.nanoTime();
            List<WatchedCall> watched = runAtOnce(registry, media, concurrent);
            double wallSeconds = (System.nanoTime() - started) / 1e9;
            cpu.stop();
            report(watched, concurrent, wallSeconds, cpu);
        }
    }

    private static List<WatchedCall> runAtOnce(CallRegistry registry, String media, int concurrent)
            throws Exception {
        AtomicInteger names = new AtomicInteger();
        ExecutorService callers = Executors.newFixedThreadPool(concurrent,
                runnable -> new Thread(runnable, "caller-" + names.incrementAndGet()));
        List<Future<WatchedCall>> running = new ArrayList<>();
        for (int i = 0; i < concurrent; i++) {
            String callSid = String.format("CAload%026d", i);
            running.add(callers.submit(() -> place(registry, media, callSid)));
            TimeUnit.MILLISECONDS.sleep(STAGGER_MS);
        }
        List<WatchedCall> done = new ArrayList<>();
        for (Future<WatchedCall> call : running) {
            done.add(call.get());
        }
        callers.shutdown();
        return done;
    }

    private static WatchedCall place(CallRegistry registry, String media, String callSid) throws Exception {
        SimulatedCall.Builder call = SimulatedCall.to(media).callSid(callSid)
                .idleHangup(Duration.ofSeconds(5)).maxDuration(Duration.ofSeconds(120));
        for (String line : CALLER_LINES) {
            call.say(line);
        }
        return WatchedCall.place(registry, call.build());
    }

    private static void report(List<WatchedCall> calls, int concurrent, double wallSeconds, CpuUse cpu) {
        List<Double> replyMs = new ArrayList<>();
        List<Double> heardGapMs = new ArrayList<>();
        int booked = 0;
        int unanswered = 0;
        int violations = 0;
        double callSeconds = 0;
        for (WatchedCall call : calls) {
            if (call.session().outcome() == SalesScript.Outcome.BOOKED) {
                booked++;
            }
            violations += call.result().violations().size();
            for (TurnRecord turn : call.session().turns()) {
                if (turn.replyAfter() == null) {
                    unanswered++;
                } else {
                    replyMs.add(turn.replyAfter().toNanos() / 1e6);
                }
            }
            heardGapMs.addAll(gapsAfterCallerSpeech(call));
            callSeconds += call.session().ageMs() / 1000.0;
        }
        double parleyCores = cpu.parleySeconds() / wallSeconds;
        System.out.printf("%n%d calls at once (%d-core machine), %.1f s of wall time, %.0f s of calls%n", concurrent,
                Runtime.getRuntime().availableProcessors(), wallSeconds, callSeconds);
        System.out.printf("  booked %d of %d; %d turns answered, %d not; %d protocol violations%n", booked,
                calls.size(), replyMs.size(), unanswered, violations);
        System.out.printf("  reply (turn judged over -> first answer audio to Twilio): %s%n", spread(replyMs));
        System.out.printf("  heard gap (caller's last sound -> agent's first audio):     %s%n", spread(heardGapMs));
        System.out.printf("  Parley CPU: %.1f s (%.2f cores busy), %.1f ms per call-second -> about %.0f calls per"
                + " core%n", cpu.parleySeconds(), parleyCores, 1000 * cpu.parleySeconds() / callSeconds,
                callSeconds / cpu.parleySeconds());
        System.out.printf("  simulated Twilio side's tick loops (not counted as Parley's): %.1f s of CPU%n",
                cpu.callerSeconds());
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.out.printf("  heap in use at the end, before and after a full GC: %.0f MiB, %.0f MiB%n",
                memory.getHeapMemoryUsage().getUsed() / 1048576.0, heapAfterGc(memory) / 1048576.0);
    }

    private static long heapAfterGc(MemoryMXBean memory) {
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** For each caller line, the time from its end to the agent's next audio, as the caller heard it. */
    private static List<Double> gapsAfterCallerSpeech(WatchedCall call) {
        List<Double> gaps = new ArrayList<>();
        List<SimulationEvent.AgentAudioStart> starts = call.result().events(SimulationEvent.AgentAudioStart.class);
        for (SimulationEvent.CallerSpeechStop stop : call.result().events(SimulationEvent.CallerSpeechStop.class)) {
            starts.stream().filter(start -> start.atMs() >= stop.atMs()).findFirst()
                    .ifPresent(start -> gaps.add((double) (start.atMs() - stop.atMs())));
        }
        return gaps;
    }

    private static String spread(List<Double> values) {
        if (values.isEmpty()) {
            return "none";
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return String.format("p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d)", at(sorted, 0.50),
                at(sorted, 0.95), at(sorted, 0.99), sorted.get(sorted.size() - 1), sorted.size());
    }

    private static double at(List<Double> sorted, double quantile) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(quantile * sorted.size())));
    }

    /**
     * CPU used during the run: the whole process's, and that of the callers' tick loops (the simulated Twilio
     * side), sampled per thread every 200 ms so that a call's loop that ends during the run still counts. The
     * rest is charged to Parley; it includes the callers' WebSocket I/O threads, which cannot be told apart
     * from Parley's own JDK clients, so Parley's figure errs high.
     */
    private static final class CpuUse {
        private final com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private final Map<Long, Long> callerLoops = new HashMap<>();
        private final long processStart = os.getProcessCpuTime();
        private long processEnd;
        private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(
                runnable -> new Thread(runnable, "caller-cpu-sampler"));

        CpuUse() {
            sampler.scheduleAtFixedRate(this::sample, 0, 200, TimeUnit.MILLISECONDS);
        }

        void stop() throws InterruptedException {
            sampler.shutdown();
            sampler.awaitTermination(1, TimeUnit.SECONDS);
            sample();
            processEnd = os.getProcessCpuTime();
        }

        private synchronized void sample() {
            for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (info != null && info.getThreadName().startsWith(CALLER_THREADS)) {
                    long nanos = threads.getThreadCpuTime(info.getThreadId());
                    if (nanos >= 0) {
                        callerLoops.put(info.getThreadId(), nanos);
                    }
                }
            }
        }

        synchronized double callerSeconds() {
            return callerLoops.values().stream().mapToLong(Long::longValue).sum() / 1e9;
        }

        double parleySeconds() {
            return (processEnd - processStart) / 1e9 - callerSeconds();
        }
    }
}
