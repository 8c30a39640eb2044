package parley.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import parley.support.RunningParley;

/**
 * A process a benchmark starts beside itself (Parley from its jar, a recognizer stand-in), so that what each
 * costs is its own. Its output is drained (its first line kept, its warnings shown, every line offered to a
 * listener); it ends with the benchmark.
 */
final class Child implements AutoCloseable {

    private final Process process;
    private final Consumer<String> lines;
    private final CompletableFuture<String> firstLine = new CompletableFuture<>();

    private Child(Process process, Consumer<String> lines) {
        this.process = process;
        this.lines = lines;
        Thread drainer = new Thread(this::drain);
        drainer.setDaemon(true);
        drainer.start();
    }

    static Child start(String name, List<String> command) throws IOException {
        return start(name, command, line -> { });
    }

    static Child start(String name, List<String> command, Consumer<String> lines) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, name + "-stopper"));
        return new Child(process, lines);
    }

    /** A recognizer stand-in on Deepgram's protocol answering every message {@code latencyMs} late. */
    static Child deepgramStandIn(long latencyMs) throws IOException {
        return start("deepgram-stand-in", List.of(java(), "-Xmx1g", "-Dlatency=" + latencyMs, "-classpath",
                System.getProperty("java.class.path"), DeepgramStandIn.class.getName()));
    }

    /**
     * An OpenAI-compatible model stand-in whose answers begin {@code firstTokenMs} after the request (see
     * {@link parley.llm.ModelStandIn}).
     */
    static Child modelStandIn(long firstTokenMs) throws IOException {
        return start("model-stand-in", List.of(java(), "-Xmx256m", "-Dfirst-token=" + firstTokenMs, "-classpath",
                System.getProperty("java.class.path"), "parley.llm.ModelStandIn"));
    }

    /**
     * Parley from its jar on {@code port}, hearing through the recognizer at {@code recognizerUrl}, once its
     * port is open.
     */
    static Child parley(Path jar, int port, String recognizerUrl, List<String> jvmOptions, List<String> settings,
                        Consumer<String> lines) throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (./mvnw -q -DskipTests package)");
        }
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "--spring.main.banner-mode=off", "--logging.level.root=WARN",
                "--server.address=127.0.0.1", "--server.port=" + port, "--parley.public-url=http://127.0.0.1:" + port,
                "--parley.stt.deepgram.url=" + recognizerUrl, "--parley.stt.deepgram.api-key=bench",
                "--parley.records.database-folder=" + RunningParley.freshFolder("parley-bench-records")));
        command.addAll(settings);
        Child parley = start("parley", command, lines);
        awaitPort(port, Duration.ofSeconds(90));
        return parley;
    }

    String firstLine() throws Exception {
        return firstLine.get(60, TimeUnit.SECONDS);
    }

    /** Keeps the pipe empty so the child never blocks on it; its warnings and errors are shown. */
    private void drain() {
        try (BufferedReader output = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                firstLine.complete(line);
                lines.accept(line);
                if (line.contains("WARN") || line.contains("ERROR")) {
                    System.out.println("    [child] " + line);
                }
            }
        } catch (IOException ended) {
            // The process is gone.
        }
        firstLine.completeExceptionally(new IllegalStateException("the child process ended"));
    }

    long pid() {
        return process.pid();
    }

    /** CPU clock ticks per thread group (the thread's name with its digits taken out), live threads only. */
    Map<String, Long> threadCpuTicks() throws IOException {
        Map<String, Long> groups = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid()), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "N");
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    groups.merge(name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
                } catch (IOException threadEnded) {
                    // The thread ended while we looked.
                }
            }
        }
        return groups;
    }

    long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().orElseThrow().toNanos();
    }

    String jcmd(String what) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid()), what).redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor();
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        try (OutputStream in = process.getOutputStream()) {
            in.close();
        } catch (IOException ignored) {
            // Already gone.
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void awaitPort(int port, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
        throw new IllegalStateException("Parley did not open port " + port + " within " + within);
    }
}
