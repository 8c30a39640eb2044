package parley.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.audio.WavFiles;

class SimulateCommandTest {

    private static final String URL = "ws://localhost:8080/twilio/media";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return SimulateCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyOptionLandsInTheCall() {
        SimulatedCall call = SimulateCommand.parse(new String[] {
            "--say", "Hi, is this the bakery?",
            "--url", URL,
            "--wav", "order.wav",
            "--barge-in-at", "2500", "--barge-in-say", "Sorry, one more thing",
            "--say", "Thanks, bye",
            "--param", "lead=42", "--param", "note=a=b",
            "--dtmf", "1@3000", "--dtmf", "#@3.5s",
            "--auth-token", "tok",
            "--record", "call.wav", "--report", "call.json",
            "--max-duration", "90s", "--idle-hangup", "1500ms"});

        assertThat(call.url().toString()).isEqualTo(URL);
        assertThat(call.lines()).containsExactly(
                CallerLine.say("Hi, is this the bakery?"),
                CallerLine.wav(Path.of("order.wav")),
                CallerLine.say("Sorry, one more thing").atMs(2500),
                CallerLine.say("Thanks, bye"));
        assertThat(call.customParameters()).containsExactly(Map.entry("lead", "42"), Map.entry("note", "a=b"));
        assertThat(call.dtmf()).containsExactly(new DtmfPress('1', 3000), new DtmfPress('#', 3500));
        assertThat(call.authToken()).isEqualTo("tok");
        assertThat(call.recording()).isEqualTo(Path.of("call.wav"));
        assertThat(call.report()).isEqualTo(Path.of("call.json"));
        assertThat(call.maxDuration()).isEqualTo(Duration.ofSeconds(90));
        assertThat(call.idleHangup()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void defaultsAreTwoSecondsIdleAndOneMinuteAtMost() {
        SimulatedCall call = SimulateCommand.parse(new String[] {"--url", URL});

        assertThat(call.idleHangup()).isEqualTo(Duration.ofSeconds(2));
        assertThat(call.maxDuration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(call.authToken()).isNull();
        assertThat(call.lines()).isEmpty();
    }

    @Test
    void badArgumentsAreExplained() {
        assertThat(usageError()).contains("--url is required");
        assertThat(usageError("--url", "http://localhost:8080/twilio/media")).contains("ws:// or wss://");
        assertThat(usageError("--url", URL, "--max-duration", "60")).contains("--max-duration wants a time with a unit");
        assertThat(usageError("--url", URL, "--idle-hangup", "0s")).contains("--idle-hangup must be longer than zero");
        assertThat(usageError("--url", URL, "--barge-in-say", "hey")).contains("--barge-in-say needs a --barge-in-at");
        assertThat(usageError("--url", URL, "--barge-in-at", "100")).contains("has no --barge-in-say after it");
        assertThat(usageError("--url", URL, "--dtmf", "x@100")).contains("not a DTMF digit");
        assertThat(usageError("--url", URL, "--dtmf", "1")).contains("--dtmf wants DIGIT@MS");
        assertThat(usageError("--url", URL, "--param", "novalue")).contains("--param wants NAME=VALUE");
        assertThat(usageError("--url", URL, "--volume", "11")).contains("unknown option --volume");
        assertThat(usageError("--url", URL, "--say")).contains("--say needs a value");
        assertThat(usageError("--url", URL, "stray")).contains("unexpected argument 'stray'");
    }

    private String usageError(String... args) {
        out.reset();
        err.reset();
        assertThat(run(args)).isEqualTo(SimulateCommand.USAGE);
        assertThat(err()).contains("Usage: parley simulate");
        assertThat(out()).isEmpty();
        return err();
    }

    @Test
    void helpPrintsTheUsage() {
        assertThat(run("--help")).isEqualTo(SimulateCommand.OK);
        assertThat(out()).contains("Usage: parley simulate").contains("--barge-in-at");
    }

    @Test
    void aStreamThatCannotBeOpenedFails() throws Exception {
        String url;
        try (FakeParley parley = new FakeParley((c, m) -> { })) {
            url = parley.url();
        }
        assertThat(run("--url", url)).isEqualTo(SimulateCommand.FAILED);
        assertThat(err()).contains("could not open " + url);
    }

    @Test
    void placesACallWritesTheRecordingAndReportAndSumsItUp(@TempDir Path dir) throws Exception {
        Path wav = dir.resolve("call.wav");
        Path report = dir.resolve("call.json");
        Path line = dir.resolve("line.wav");
        WavFiles.writeMono8k(line, TestAudio.tone(200, 300));
        try (FakeParley parley = new FakeParley((c, m) -> {
            if (m.path("event").asText().equals("start")) {
                c.media(TestAudio.toneMuLaw(300, 440));
                c.mark("greeting");
            }
        })) {
            int code = run("--url", parley.url(), "--wav", line.toString(), "--param", "lead=7",
                    "--record", wav.toString(), "--report", report.toString(), "--idle-hangup", "300ms");

            assertThat(code).as(err()).isEqualTo(SimulateCommand.OK);
            assertThat(parley.connection().received("start").get(0).message()
                    .path("start").path("customParameters").path("lead").asText()).isEqualTo("7");
        }

        assertThat(out()).contains("Agent audio: 300 ms in total, first at ")
                .contains("Marks echoed: 1 (0 by a clear); clears: 0")
                .contains("Caller lines said: 1 of 1")
                .contains("caller hung up (idle)")
                .contains("Protocol violations: none");

        JsonNode json = new ObjectMapper().readTree(report.toFile());
        List<String> types = json.path("events").findValuesAsText("type");
        assertThat(types).containsSubsequence("agent_audio_start", "mark_echoed", "agent_audio_stop",
                "caller_speech_start", "caller_speech_stop", "hangup", "closed");
        assertThat(json.path("events").findValuesAsText("line")).containsOnly(line.toString());
        assertThat(json.path("agent_audio_ms").asLong()).isEqualTo(300);

        ByteBuffer header = ByteBuffer.wrap(Files.readAllBytes(wav)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(header.getShort(22)).as("channels").isEqualTo((short) 2);
        assertThat(header.getInt(24)).as("sample rate").isEqualTo(8000);
        long durationMs = json.path("duration_ms").asLong();
        assertThat(Files.size(wav)).isEqualTo(44 + durationMs * 8 * 2 * 2);
    }

    @Test
    void anAgentThatBreaksTheProtocolGivesItsOwnExitCode() throws Exception {
        try (FakeParley parley = new FakeParley((c, m) -> {
            if (m.path("event").asText().equals("start")) {
                c.send("{\"event\":\"hello\"}");
            }
        })) {
            assertThat(run("--url", parley.url(), "--idle-hangup", "100ms")).isEqualTo(SimulateCommand.VIOLATIONS);
            assertThat(out()).contains("Protocol violations: 1").contains("unknown event 'hello'")
                    .contains("Agent audio: 0 ms in total, never heard");
        }
    }

    @Test
    void anUnreadableWavIsAFailureNamingTheFile(@TempDir Path dir) throws Exception {
        Path bogus = dir.resolve("bogus.wav");
        Files.writeString(bogus, "not audio");
        try (FakeParley parley = new FakeParley((c, m) -> { })) {
            assertThat(run("--url", parley.url(), "--wav", bogus.toString())).isEqualTo(SimulateCommand.FAILED);
        }
        assertThat(err()).contains("bogus.wav");
    }
}
