package parley;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
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
import java.util.Locale;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import parley.simulator.CallSimulator;
import parley.simulator.SampleCalls;
import parley.simulator.SimulateCommand;
import parley.simulator.SimulatedCall;
import parley.simulator.SimulationResult;

/**
 * {@code java -jar parley.jar demo}: Parley on embedded defaults, on a free loopback port, takes one whole
 * simulated call (see {@link SampleCalls#booked}), then shows the call as its record keeps it, read back
 * through the records API, and says where the record, the recording and the summary are. Needs no keys and
 * no network. Arguments after {@code demo} are Parley settings ({@code --parley.script=file:my-script.yaml}).
 */
final class Demo {

    private static final Path OUTPUT = Path.of("parley-demo");
    private static final String RECORDINGS = "data/recordings";
    /** Records are written after the call ends, off its lane; longer than this means something is wrong. */
    private static final Duration RECORD_WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Demo() {
    }

    static int run(String[] settings) {
        if (settings.length > 0 && settings[0].equals("outbound")) {
            return OutboundDemo.run(Arrays.copyOfRange(settings, 1, settings.length));
        }
        int port = freePort();
        String token = UUID.randomUUID().toString();
        List<String> args = settings(port, token, settings);
        try (ConfigurableApplicationContext parley = new SpringApplicationBuilder(Parley.class)
                .run(args.toArray(String[]::new));
             CallSimulator simulator = new CallSimulator()) {
            Files.createDirectories(OUTPUT);
            SimulatedCall call = SampleCalls.booked("ws://127.0.0.1:" + port + "/twilio/media")
                    .recordTo(OUTPUT.resolve("call.wav"))
                    .reportTo(OUTPUT.resolve("call.json"))
                    .build();
            SimulationResult result = simulator.run(call);
            System.out.println(SimulateCommand.summary(result));
            System.out.println("As the caller's phone heard it: " + OUTPUT.resolve("call.wav").toAbsolutePath()
                    + "\nTimed events:                   " + OUTPUT.resolve("call.json").toAbsolutePath());
            JsonNode record = record("http://127.0.0.1:" + port + "/api/calls/" + call.callSid(), token);
            if (record == null) {
                System.err.println("The call's record was not written within " + RECORD_WAIT.toSeconds() + " s");
                return 1;
            }
            Files.writeString(OUTPUT.resolve("record.json"), JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(record));
            System.out.println(describe(record, parley));
            return result.agentAudioMs() > 0 && result.violations().isEmpty() ? 0 : 1;
        } catch (IOException e) {
            System.err.println("The demo call failed: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /**
     * Parley's command line for a demo: embedded defaults, quiet logs, on {@code port} of loopback, the sandbox
     * recognizer, the records API behind {@code token}, calls recorded; {@code settings} win over the defaults.
     */
    static List<String> settings(int port, String token, String... settings) {
        List<String> args = new ArrayList<>();
        args.add("--spring.main.banner-mode=off");
        args.add("--logging.level.root=WARN");
        args.add("--logging.level.parley=INFO");
        if (List.of(settings).stream().noneMatch(s -> s.startsWith("--parley.records.recording-folder="))) {
            args.add("--parley.records.recording-folder=" + RECORDINGS);
        }
        args.addAll(List.of(settings));
        args.add("--server.address=127.0.0.1");
        args.add("--server.port=" + port);
        args.add("--parley.public-url=http://127.0.0.1:" + port);
        args.add("--parley.stt.sandbox.enabled=true");
        args.add("--parley.records.api-token=" + token);
        return args;
    }

    /** The call's record through the records API, once it has been written; null if it never is. */
    private static JsonNode record(String url, String token) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .GET().build();
        long deadline = System.nanoTime() + RECORD_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 200) {
                return JSON.readTree(answer.body());
            }
            Thread.sleep(100);
        }
        return null;
    }

    private static String describe(JsonNode record, ConfigurableApplicationContext parley) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "%nThe call as its record keeps it (call_record '%s'):%n  outcome %s; meeting %s%n",
                record.path("call_sid").asText(), record.path("outcome").asText(), record.path("meeting")));
        text.append("  what was said (seconds on the call; an agent line cut short shows what the caller heard):\n");
        for (JsonNode line : record.path("lines")) {
            boolean cut = line.path("interrupted").asBoolean();
            text.append(String.format(Locale.ROOT, "    %5.1f-%5.1f %-6s %s%n", line.path("start_ms").asLong() / 1000.0,
                    line.path("end_ms").asLong() / 1000.0, line.path("speaker").asText(),
                    cut ? "\"" + line.path("heard").asText() + "\" of \"" + line.path("said").asText() + "\" (cut)"
                            : "\"" + line.path("said").asText() + "\""));
        }
        text.append("  events:\n");
        for (JsonNode event : record.path("events")) {
            text.append(String.format(Locale.ROOT, "    %5.1f %s: %s%n", event.path("at_ms").asLong() / 1000.0,
                    event.path("kind").asText(), event.path("detail").asText()));
        }
        text.append("  each turn, ms from the caller's last word to the answer's first audio:");
        for (JsonNode turn : record.path("turns")) {
            text.append(' ').append(turn.path("first_audio_ms").isNull() ? "-" : turn.path("first_audio_ms").asText());
        }
        text.append(String.format(Locale.ROOT, "%n  summary (%s): %s%n", record.path("summary_by").asText(),
                record.path("summary").asText()));
        String recordings = parley.getEnvironment().getProperty("parley.records.recording-folder", RECORDINGS);
        String database = parley.getEnvironment().getProperty("spring.datasource.url", "");
        text.append(String.format(Locale.ROOT, "Record:    PostgreSQL, %s (tables call_record, turn_record, turn_timing,"
                        + " call_line, call_event)%n", database.isBlank() || database.equals("embedded")
                        ? "the embedded one with its data in " + Path.of(parley.getEnvironment()
                        .getProperty("parley.records.database-folder", "data/postgres")).toAbsolutePath() : database));
        text.append(String.format(Locale.ROOT, "All of it:  %s%n", OUTPUT.resolve("record.json").toAbsolutePath()));
        text.append(String.format(Locale.ROOT, "Recording: %s (caller left, agent right, as the caller heard it)%n",
                record.path("recording").isTextual()
                        ? Path.of(recordings).toAbsolutePath().resolve(record.path("recording").asText()) : "none"));
        text.append("Look at it again: start Parley with PARLEY_API_TOKEN set and GET /api/calls/")
                .append(record.path("call_sid").asText()).append(" (see the README, \"Call records\")");
        return text.toString();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
