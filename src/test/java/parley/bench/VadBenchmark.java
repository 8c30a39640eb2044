package parley.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import parley.audio.MuLaw;
import parley.audio.OfflineVoice;
import parley.hearing.SileroVad;

/**
 * What voice-activity detection costs per call: the time to score one call's 32 ms window when the windows of
 * {@code calls} calls are scored together in one model run, on one thread.
 *
 * <p>Run it with {@code ./mvnw -q test-compile exec:exec@vad-bench}. JMH reports the time per run (all the
 * calls' windows); {@link #main} then prints it per call-window, and how many calls one core could keep up
 * with in real time. JMH options can be given to {@code main}, e.g. {@code -p calls=64 -f 3}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Thread)
public class VadBenchmark {

    private static final double WINDOW_MICROS = 1e6 * SileroVad.WINDOW / SileroVad.SAMPLE_RATE;

    @Param({"1", "8", "32"})
    public int calls;

    private SileroVad vad;
    private List<SileroVad.Stream> streams;
    /** For every step, the next window of each call. */
    private List<List<float[]>> steps;
    private int step;

    /**
     * Real speech through a mu-law round trip, as calls would send it. The model's cost does not depend on what
     * it hears, but realistic input keeps the recurrent state in the range it has in service. Each call starts
     * at a different point of the sentence, so a batch mixes speech and pauses.
     */
    @Setup(Level.Trial)
    public void setUp() {
        vad = SileroVad.load();
        short[] speech;
        try (OfflineVoice voice = new OfflineVoice()) {
            speech = voice.speakPcm8k("Hello, this is Parley calling about your delivery schedule for next week.");
        }
        short[] heard = MuLaw.decode(MuLaw.encode(speech));
        int windows = heard.length / SileroVad.WINDOW;
        List<float[]> line = new ArrayList<>(windows);
        for (int w = 0; w < windows; w++) {
            float[] window = new float[SileroVad.WINDOW];
            for (int i = 0; i < window.length; i++) {
                window[i] = heard[w * SileroVad.WINDOW + i] / 32768f;
            }
            line.add(window);
        }
        streams = new ArrayList<>(calls);
        for (int c = 0; c < calls; c++) {
            streams.add(vad.newStream());
        }
        steps = new ArrayList<>(windows);
        for (int s = 0; s < windows; s++) {
            List<float[]> batch = new ArrayList<>(calls);
            for (int c = 0; c < calls; c++) {
                batch.add(line.get((s + c * windows / calls) % windows));
            }
            steps.add(batch);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        vad.close();
    }

    @Benchmark
    public float[] scoreOneWindowPerCall() {
        List<float[]> windows = steps.get(step);
        step = step + 1 == steps.size() ? 0 : step + 1;
        return vad.score(streams, windows);
    }

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        // Mode and unit are fixed, whatever the options say, because the summary below divides the scores.
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .parent(new CommandLineOptions(args))
                .include(VadBenchmark.class.getName())
                .mode(Mode.AverageTime)
                .timeUnit(TimeUnit.MICROSECONDS)
                .build()).run();

        System.out.println();
        System.out.println("Silero VAD v5, 8 kHz, one thread: time per call-window (one call's 32 ms of audio)");
        System.out.printf("%6s  %20s  %20s  %15s%n", "calls", "us per run", "us per call-window", "calls per core");
        results.stream()
                .sorted((a, b) -> Integer.compare(calls(a), calls(b)))
                .forEach(result -> {
                    int calls = calls(result);
                    Result<?> run = result.getPrimaryResult();
                    double perWindow = run.getScore() / calls;
                    System.out.printf("%6d  %9.1f ± %-8.1f  %9.1f ± %-8.1f  %15.0f%n", calls, run.getScore(),
                            run.getScoreError(), perWindow, run.getScoreError() / calls, WINDOW_MICROS / perWindow);
                });
        System.out.println("calls per core: how many calls one core could score in real time (a window every 32 ms)");
    }

    private static int calls(RunResult result) {
        return Integer.parseInt(result.getParams().getParam("calls"));
    }
}
