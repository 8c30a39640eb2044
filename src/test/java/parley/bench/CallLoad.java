package parley.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import parley.simulator.CallSimulator;
import parley.simulator.CallerLine;
import parley.simulator.SimulatedCall;
import parley.simulator.SimulationEvent;
import parley.simulator.SimulationResult;
import parley.support.RunningParley;

/**
 * The load benchmark: Parley, built as {@code target/parley.jar}, in a process of its own, takes many simulated
 * calls at once from this process (the Twilio side), hearing through a Deepgram-protocol stand-in in a third
 * process; so the CPU and memory measured are Parley's alone.
 *
 * <pre>./mvnw -q -DskipTests package exec:exec@load-bench -Dcalls=50,100,200</pre>
 *
 * Each size gets a fresh Parley. Every caller is on the line for {@code seconds} (20): it talks over the
 * greeting once (2.5 s in, past the uninterruptible opening), then answers the agent line by line, echoing
 * each mark when its playback reaches it, as Twilio does. Calls start {@code stagger} ms apart (25). Printed:
 * <ul>
 *   <li>the greeting's first audio after {@code start};</li>
 *   <li>after the caller began talking over the agent (the barge-in): when they stopped hearing it (it holds
 *   at once, and Twilio's buffer plays out), and the {@code clear} once the recognizer's words confirm it;</li>
 *   <li>underruns: the agent's audio ran dry and came back with no caller turn between (a sentence with a
 *   hole in it);</li>
 *   <li>the gap the caller heard after each answer they gave, to the agent's next audio;</li>
 *   <li>Parley's CPU per second of call, its resident memory and its heap after a full GC with every call
 *   on the line, against the same before the calls.</li>
 * </ul>
 * {@code -Djfr=path.jfr} records a JFR profile of Parley for the measured run.
 */
public final class CallLoad {

    private static final String BARGE_IN = "Sorry, who is this?";
    private static final long BARGE_IN_AT_MS = 2500;
    private static final String[] ANSWERS = {
        "We do maybe forty deliveries a week, planned in a spreadsheet.",
        "Yeah, that could be useful.",
        "It's jane dot doe at example dot com.",
    };
    private static final int WARM_UP_CALLS = 100;
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private static final String RECORDS_TOKEN = "bench";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CallLoad() {
    }

    public static void main(String[] args) throws Exception {
        int[] sizes = Arrays.stream(System.getProperty("calls", "50").split(",")).map(String::trim)
                .mapToInt(Integer::parseInt).toArray();
        Duration callLength = Duration.ofSeconds(Long.getLong("seconds", 20));
        long staggerMs = Long.getLong("stagger", 25);
        Path jar = Path.of(System.getProperty("jar", "target/parley.jar"));
        try (Child deepgram = Child.deepgramStandIn(100);
             CallSimulator simulator = new CallSimulator()) {
            String recognizerUrl = deepgram.firstLine();
            System.out.printf("Deepgram-protocol stand-in at %s (its own process, messages 100 ms late)%n", recognizerUrl);
            for (int size : sizes) {
                runOnce(jar, deepgram, recognizerUrl, simulator, size, callLength, staggerMs);
            }
        }
    }

    private static void runOnce(Path jar, Child recognizer, String recognizerUrl, CallSimulator simulator, int concurrent,
                                Duration callLength, long staggerMs) throws Exception {
        int port = RunningParley.freePort();
        String jfr = System.getProperty("jfr", "");
        List<String> jvmOptions = jfr.isBlank() ? List.of()
                : List.of("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile");
        // Every call's record is written to PostgreSQL as in production; -Drecord=true records its audio too.
        List<String> settings = new ArrayList<>(List.of("--parley.records.api-token=" + RECORDS_TOKEN));
        if (Boolean.getBoolean("record")) {
            settings.add("--parley.records.recording-folder=" + RunningParley.freshFolder("parley-bench-recordings"));
        }
        try (Child parley = Child.parley(jar, port, recognizerUrl, jvmOptions, settings, line -> { })) {
            String media = "ws://127.0.0.1:" + port + "/twilio/media";
            // A server that has run for a while has compiled its hot paths; a pass of calls first, so the figures
            // are of that server and not of the JIT compiler at work. At most WARM_UP_CALLS: on a machine already
            // saturated, the compiler threads would starve and fall behind instead of catching up.
            int warmUp = Math.min(concurrent, WARM_UP_CALLS);
            System.out.printf("%nWarming up Parley (pid %d) with %d calls...%n", parley.pid(), warmUp);
            for (Future<SimulationResult> call : startCalls(simulator, media, warmUp, callLength, staggerMs, "CAwarm")) {
                call.get();
            }
            Memory idle = Memory.of(parley);

            Map<String, Long> threadsBefore = parley.threadCpuTicks();
            long cpuBefore = parley.cpuNanos();
            long clientCpuBefore = clientCpuNanos();
            long recognizerCpuBefore = recognizer.cpuNanos();
            long started = System.nanoTime();
            List<Future<SimulationResult>> running = startCalls(simulator, media, concurrent, callLength, staggerMs, "CAload");
            List<SimulationResult> results = new ArrayList<>();
            int failed = 0;
            for (Future<SimulationResult> call : running) {
                try {
                    results.add(call.get());
                } catch (ExecutionException e) {
                    failed++;
                    System.out.println("  a call failed: " + e.getCause());
                }
            }
            double wallSeconds = (System.nanoTime() - started) / 1e9;
            double parleyCpu = (parley.cpuNanos() - cpuBefore) / 1e9;
            Map<String, Long> threadsAfter = parley.threadCpuTicks();
            double clientCpu = (clientCpuNanos() - clientCpuBefore) / 1e9;
            double recognizerCpu = (recognizer.cpuNanos() - recognizerCpuBefore) / 1e9;

            // Memory in a second pass of the same calls: a full GC stops Parley for a while, which would
            // spoil the figures of the pass above.
            List<Future<SimulationResult>> again = startCalls(simulator, media, concurrent, callLength, staggerMs, "CAheap");
            TimeUnit.SECONDS.sleep(3);
            Memory loaded = Memory.of(parley);
            for (Future<SimulationResult> call : again) {
                call.get();
            }
            long lastEnded = System.nanoTime();
            int recorded = awaitRecords(port, warmUp + 2 * concurrent);
            report(concurrent, results, failed, wallSeconds, parleyCpu, clientCpu, recognizerCpu, idle, loaded);
            System.out.printf("  records in PostgreSQL: %d of %d calls, all there %.1f s after the last call ended%s%n",
                    recorded, warmUp + 2 * concurrent, (System.nanoTime() - lastEnded) / 1e9,
                    Boolean.getBoolean("record") ? " (each with its recording)" : "");
            reportThreads(threadsBefore, threadsAfter);
        }
    }

    /** How many calls the records API lists, once it lists {@code expected} or a minute has passed. */
    private static int awaitRecords(int port, int expected) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/calls?limit=500"))
                .header("Authorization", "Bearer " + RECORDS_TOKEN).GET().build();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        int listed = 0;
        while (System.nanoTime() < deadline) {
            listed = JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body()).size();
            if (listed >= expected) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return listed;
    }

    /** Where Parley's CPU went, by thread group (a thread's name without its number), from /proc. */
    private static void reportThreads(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> used = new TreeMap<>();
        after.forEach((group, ticks) -> used.merge(group, ticks - before.getOrDefault(group, 0L), Long::sum));
        long total = used.values().stream().mapToLong(Long::longValue).sum();
        System.out.println("  Parley's CPU by thread (from /proc, clock ticks of 10 ms):");
        used.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                .forEach(e -> System.out.printf("    %5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, total), e.getKey()));
    }

    private static long clientCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
    }

    /** Starts {@code count} calls {@code staggerMs} apart; each runs on a thread of its own until it ends. */
    private static List<Future<SimulationResult>> startCalls(CallSimulator simulator, String media, int count,
            Duration length, long staggerMs, String sidPrefix) throws InterruptedException {
        ExecutorService callers = Executors.newFixedThreadPool(count);
        List<Future<SimulationResult>> running = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SimulatedCall call = call(media, String.format("%s%0" + (34 - sidPrefix.length()) + "d", sidPrefix, i), length);
            running.add(callers.submit(() -> simulator.run(call)));
            TimeUnit.MILLISECONDS.sleep(staggerMs);
        }
        callers.shutdown();
        return running;
    }

    private static SimulatedCall call(String media, String callSid, Duration length) {
        SimulatedCall.Builder call = SimulatedCall.to(media).callSid(callSid)
                .line(CallerLine.say(BARGE_IN).atMs(BARGE_IN_AT_MS))
                .idleHangup(length).maxDuration(length);
        for (String answer : ANSWERS) {
            call.say(answer);
        }
        return call.build();
    }

    private static void report(int concurrent, List<SimulationResult> results, int failed, double wallSeconds,
                               double parleyCpu, double clientCpu, double recognizerCpu, Memory idle, Memory loaded) {
        List<Double> greeting = new ArrayList<>();
        List<Double> clear = new ArrayList<>();
        List<Double> silent = new ArrayList<>();
        List<Double> heardGap = new ArrayList<>();
        List<Double> underrunMs = new ArrayList<>();
        int callsWithUnderrun = 0;
        int noClear = 0;
        int violations = 0;
        double callSeconds = 0;
        for (SimulationResult result : results) {
            violations += result.violations().size();
            result.firstAgentAudioMs().ifPresent(ms -> greeting.add((double) ms));
            List<SimulationEvent> events = result.events();
            callSeconds += events.isEmpty() ? 0 : events.get(events.size() - 1).atMs() / 1000.0;
            Double quiet = afterBargeIn(result, SimulationEvent.AgentAudioStop.class);
            if (quiet != null) {
                silent.add(quiet);
            }
            Double bargeIn = afterBargeIn(result, SimulationEvent.Clear.class);
            if (bargeIn == null) {
                noClear++;
            } else {
                clear.add(bargeIn);
            }
            List<Double> holes = underruns(events);
            underrunMs.addAll(holes);
            if (!holes.isEmpty()) {
                callsWithUnderrun++;
            }
            heardGap.addAll(gapsAfterAnswers(result));
        }
        System.out.printf("%n%d calls at once on %d cores (%d finished, %d failed), %.0f s of calls in %.1f s%n",
                concurrent, Runtime.getRuntime().availableProcessors(), results.size(), failed, callSeconds, wallSeconds);
        System.out.printf("  greeting's first audio after start:        %s%n", Spread.of(greeting));
        System.out.printf("  agent silent after the caller talked over: %s%n", Spread.of(silent));
        System.out.printf("  clear after the caller talked over it:     %s; %d calls with no clear%n", Spread.of(clear), noClear);
        System.out.printf("  underruns: %d calls of %d, %d holes, longest %.0f ms%n", callsWithUnderrun, results.size(),
                underrunMs.size(), underrunMs.stream().mapToDouble(Double::doubleValue).max().orElse(0));
        System.out.printf("  gap heard after the caller's answers:      %s%n", Spread.of(heardGap));
        System.out.printf("  protocol violations: %d%n", violations);
        System.out.printf("  Parley CPU: %.1f s, %.2f cores busy, %.1f ms per call-second%n", parleyCpu,
                parleyCpu / wallSeconds, 1000 * parleyCpu / callSeconds);
        System.out.printf("  the simulated Twilio side (this process): %.1f s of CPU; the recognizer stand-in: %.1f s;"
                + " all three: %.2f of %d cores%n", clientCpu, recognizerCpu,
                (parleyCpu + clientCpu + recognizerCpu) / wallSeconds, Runtime.getRuntime().availableProcessors());
        System.out.printf("  Parley resident: %.0f MiB idle, %.0f MiB with %d calls: %.2f MiB per call%n",
                idle.residentMiB(), loaded.residentMiB(), concurrent,
                (loaded.residentMiB() - idle.residentMiB()) / concurrent);
        System.out.printf("  Parley heap after a full GC: %.0f MiB idle, %.0f MiB with %d calls: %.0f KiB per call"
                + " (the GC took %d ms)%n", idle.heapMiB(), loaded.heapMiB(), concurrent,
                1024 * (loaded.heapMiB() - idle.heapMiB()) / concurrent, loaded.gcMillis());
    }

    /** From the start of the line said over the greeting to the first event of a kind after it. */
    private static Double afterBargeIn(SimulationResult result, Class<? extends SimulationEvent> kind) {
        for (SimulationEvent.CallerSpeechStart start : result.events(SimulationEvent.CallerSpeechStart.class)) {
            if (start.line().equals(BARGE_IN)) {
                return result.events(kind).stream().filter(c -> c.atMs() >= start.atMs())
                        .findFirst().map(c -> (double) (c.atMs() - start.atMs())).orElse(null);
            }
        }
        return null;
    }

    /**
     * Holes in the agent's speech: its playout ran dry while the caller was silent, not by a clear, and the
     * agent spoke again before the caller did.
     */
    private static List<Double> underruns(List<SimulationEvent> events) {
        List<Double> holes = new ArrayList<>();
        Long dryAt = null;
        boolean callerSpeaking = false;
        for (SimulationEvent event : events) {
            if (event instanceof SimulationEvent.CallerSpeechStart || event instanceof SimulationEvent.CallerSpeechStop) {
                callerSpeaking = event instanceof SimulationEvent.CallerSpeechStart;
                dryAt = null;
            } else if (event instanceof SimulationEvent.Clear) {
                dryAt = null;
            } else if (event instanceof SimulationEvent.AgentAudioStop stop && !callerSpeaking) {
                dryAt = stop.atMs();
            } else if (event instanceof SimulationEvent.AgentAudioStart start && dryAt != null) {
                holes.add((double) (start.atMs() - dryAt));
                dryAt = null;
            }
        }
        return holes;
    }

    private static List<Double> gapsAfterAnswers(SimulationResult result) {
        List<Double> gaps = new ArrayList<>();
        List<SimulationEvent.AgentAudioStart> starts = result.events(SimulationEvent.AgentAudioStart.class);
        for (SimulationEvent.CallerSpeechStop stop : result.events(SimulationEvent.CallerSpeechStop.class)) {
            if (!stop.line().equals(BARGE_IN)) {
                starts.stream().filter(start -> start.atMs() >= stop.atMs()).findFirst()
                        .ifPresent(start -> gaps.add((double) (start.atMs() - stop.atMs())));
            }
        }
        return gaps;
    }

    /** Parley's resident memory and its heap after a full GC, read from outside its process. */
    private record Memory(double residentMiB, double heapMiB, long gcMillis) {
        static Memory of(Child parley) throws IOException, InterruptedException {
            long began = System.nanoTime();
            parley.jcmd("GC.run");
            long gcMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
            Matcher used = HEAP_USED.matcher(parley.jcmd("GC.heap_info"));
            double heap = used.find() ? Long.parseLong(used.group(1)) / 1024.0 : Double.NaN;
            double resident = Double.NaN;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(parley.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    resident = Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
            return new Memory(resident, heap, gcMillis);
        }
    }
}
