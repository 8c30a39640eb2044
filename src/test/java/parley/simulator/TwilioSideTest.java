package parley.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static parley.simulator.TestAudio.silent;
import static parley.simulator.TestAudio.slice;
import static parley.simulator.TestAudio.toneMuLaw;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import parley.audio.MuLaw;
import parley.simulator.TwilioSide.Inbound;
import parley.simulator.TwilioSide.PreparedLine;
import parley.simulator.SimulationEvent.AgentAudioStart;
import parley.simulator.SimulationEvent.AgentAudioStop;
import parley.simulator.SimulationEvent.CallerSpeechStart;
import parley.simulator.SimulationEvent.CallerSpeechStop;
import parley.simulator.SimulationEvent.Clear;
import parley.simulator.SimulationEvent.Closed;
import parley.simulator.SimulationEvent.ClosedBy;
import parley.simulator.SimulationEvent.Dtmf;
import parley.simulator.SimulationEvent.Hangup;
import parley.simulator.SimulationEvent.HangupReason;
import parley.simulator.SimulationEvent.MarkEchoed;
import parley.simulator.SimulationEvent.MarkReceived;

/** The tick logic on its own: no socket, no clock, so every time is exact. */
class TwilioSideTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STREAM = "MZ00000000000000000000000000000001";

    /** Drives a session tick by tick and keeps everything it sent. */
    private static final class Driver {
        final TwilioSide session;
        final List<JsonNode> sent = new ArrayList<>();

        Driver(SimulatedCall call, PreparedLine... lines) {
            session = new TwilioSide(call, List.of(lines));
            session.begin().forEach(this::keep);
        }

        /** Runs one tick with these messages from the agent; returns what the tick sent. */
        List<JsonNode> tick(Inbound... inbound) {
            List<JsonNode> out = new ArrayList<>();
            for (String message : session.tick(List.of(inbound))) {
                out.add(keep(message));
            }
            return out;
        }

        /** Runs silent ticks until the media timeline reaches {@code ms} (the next tick will run at {@code ms}). */
        void runTo(long ms) {
            while (ticksRun() * TwilioSide.TICK_MS < ms && !session.isOver()) {
                tick();
            }
        }

        long ticksRun() {
            return sent.stream().filter(m -> m.path("event").asText().equals("media")).count()
                    + (session.isOver() ? 1 : 0);
        }

        List<JsonNode> sent(String event) {
            return sent.stream().filter(m -> m.path("event").asText().equals(event)).toList();
        }

        private JsonNode keep(String message) {
            try {
                JsonNode node = JSON.readTree(message);
                sent.add(node);
                return node;
            } catch (Exception e) {
                throw new AssertionError("the session sent something that is not JSON: " + message, e);
            }
        }
    }

    private static SimulatedCall.Builder call() {
        return SimulatedCall.to("ws://localhost/twilio/media").streamSid(STREAM).idleHangup(Duration.ofSeconds(30));
    }

    private static Inbound media(byte[] muLaw) {
        ObjectNode m = JSON.createObjectNode().put("event", "media").put("streamSid", STREAM);
        m.putObject("media").put("payload", Base64.getEncoder().encodeToString(muLaw));
        return new TwilioSide.Text(m.toString());
    }

    private static Inbound mark(String name) {
        ObjectNode m = JSON.createObjectNode().put("event", "mark").put("streamSid", STREAM);
        m.putObject("mark").put("name", name);
        return new TwilioSide.Text(m.toString());
    }

    private static Inbound clear() {
        return new TwilioSide.Text(JSON.createObjectNode().put("event", "clear").put("streamSid", STREAM).toString());
    }

    /** One second of agent audio as five 200 ms media messages, each followed by a mark m1..m5. */
    private static Inbound[] clipWithMarks(byte[] clip) {
        List<Inbound> out = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            out.add(media(slice(clip, i * 1600, (i + 1) * 1600)));
            out.add(mark("m" + (i + 1)));
        }
        return out.toArray(Inbound[]::new);
    }

    private static PreparedLine line(String label, CallerLine.Start start, byte[] muLaw) {
        return new PreparedLine(label, start, muLaw);
    }

    @Test
    void opensWithConnectedThenStartCarryingTheCallAndItsParameters() {
        SimulatedCall call = call().parameter("lead", "42").parameter("campaign", "spring").build();
        Driver d = new Driver(call);

        assertThat(d.sent.get(0).toString()).isEqualTo("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}");
        JsonNode start = d.sent.get(1);
        assertThat(start.path("event").asText()).isEqualTo("start");
        assertThat(start.path("sequenceNumber").isTextual()).isTrue();
        assertThat(start.path("sequenceNumber").asText()).isEqualTo("1");
        assertThat(start.path("streamSid").asText()).isEqualTo(STREAM);
        JsonNode body = start.path("start");
        assertThat(body.path("streamSid").asText()).isEqualTo(STREAM);
        assertThat(body.path("callSid").asText()).isEqualTo(call.callSid()).matches("CA[0-9a-f]{32}");
        assertThat(body.path("accountSid").asText()).isEqualTo(call.accountSid()).matches("AC[0-9a-f]{32}");
        assertThat(body.path("tracks").toString()).isEqualTo("[\"inbound\"]");
        assertThat(body.path("mediaFormat").toString())
                .isEqualTo("{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1}");
        assertThat(body.path("customParameters").toString()).isEqualTo("{\"lead\":\"42\",\"campaign\":\"spring\"}");
    }

    @Test
    void aQuietCallerStillStreamsNumberedFramesOfSilence() {
        Driver d = new Driver(call().build());
        for (int i = 0; i < 5; i++) {
            d.tick();
        }

        List<JsonNode> media = d.sent("media");
        assertThat(media).hasSize(5);
        for (int i = 0; i < 5; i++) {
            JsonNode m = media.get(i);
            assertThat(m.path("sequenceNumber").asText()).isEqualTo(String.valueOf(i + 2));
            assertThat(m.path("streamSid").asText()).isEqualTo(STREAM);
            assertThat(m.path("media").path("track").asText()).isEqualTo("inbound");
            assertThat(m.path("media").path("chunk").asText()).isEqualTo(String.valueOf(i + 1));
            assertThat(m.path("media").path("timestamp").asText()).isEqualTo(String.valueOf(i * 20));
            byte[] payload = Base64.getDecoder().decode(m.path("media").path("payload").asText());
            assertThat(payload).hasSize(160);
            assertThat(silent(payload)).isTrue();
        }
    }

    @Test
    void marksAreEchoedExactlyWhenTheAudioBeforeThemHasPlayed() {
        byte[] clip = toneMuLaw(1000, 440);
        Driver d = new Driver(call().build());
        d.tick(clipWithMarks(clip));
        d.runTo(1100);

        SimulationResult r = d.session.result();
        assertThat(r.events(MarkReceived.class)).extracting(MarkReceived::atMs).containsOnly(0L);
        assertThat(r.events(MarkEchoed.class)).containsExactly(
                new MarkEchoed(200, "m1", false), new MarkEchoed(400, "m2", false), new MarkEchoed(600, "m3", false),
                new MarkEchoed(800, "m4", false), new MarkEchoed(1000, "m5", false));
        assertThat(r.events(AgentAudioStart.class)).containsExactly(new AgentAudioStart(0));
        assertThat(r.events(AgentAudioStop.class)).containsExactly(new AgentAudioStop(1000));
        assertThat(r.agentAudioMs()).isEqualTo(1000);

        List<JsonNode> echoes = d.sent("mark");
        assertThat(echoes).extracting(m -> m.path("mark").path("name").asText())
                .containsExactly("m1", "m2", "m3", "m4", "m5");
        assertThat(echoes).allSatisfy(m -> assertThat(m.path("streamSid").asText()).isEqualTo(STREAM));

        short[] agent = r.agentPcm();
        assertThat(slice(agent, 0, 8000)).isEqualTo(MuLaw.decode(clip));
        assertThat(silent(slice(agent, 8000, agent.length))).isTrue();
        assertThat(silent(r.callerPcm())).isTrue();
    }

    @Test
    void aMarkWithNothingQueuedBeforeItIsEchoedAtOnce() {
        Driver d = new Driver(call().build());
        d.runTo(100);
        List<JsonNode> sent = d.tick(mark("alone"));

        assertThat(sent.get(0).path("event").asText()).isEqualTo("mark");
        assertThat(d.session.result().events(MarkEchoed.class)).containsExactly(new MarkEchoed(100, "alone", false));
    }

    @Test
    void audioThatKeepsArrivingJustInTimeIsOneStretch() {
        byte[] clip = toneMuLaw(200, 440);
        Driver d = new Driver(call().build());
        for (int i = 0; i < 10; i++) {
            d.tick(media(slice(clip, i * 160, (i + 1) * 160)));
        }
        d.runTo(400);

        SimulationResult r = d.session.result();
        assertThat(r.events(AgentAudioStart.class)).containsExactly(new AgentAudioStart(0));
        assertThat(r.events(AgentAudioStop.class)).containsExactly(new AgentAudioStop(200));
    }

    @Test
    void aPartFrameEndsTheAudioMidTick() {
        Driver d = new Driver(call().build());
        d.tick(media(toneMuLaw(30, 440)));
        d.runTo(100);

        assertThat(d.session.result().events(AgentAudioStop.class)).containsExactly(new AgentAudioStop(30));
    }

    @Test
    void clearDropsTheRestAndEchoesEveryPendingMarkAtOnce() {
        byte[] clip = toneMuLaw(1000, 440);
        Driver d = new Driver(call().build());
        d.tick(clipWithMarks(clip));
        d.runTo(300);
        List<JsonNode> sentOnClear = d.tick(clear());
        d.runTo(1200);

        assertThat(sentOnClear).extracting(m -> m.path("event").asText())
                .containsExactly("mark", "mark", "mark", "mark", "media");
        SimulationResult r = d.session.result();
        assertThat(r.events(Clear.class)).containsExactly(new Clear(300, 700, 4));
        assertThat(r.events(MarkEchoed.class)).containsExactly(
                new MarkEchoed(200, "m1", false), new MarkEchoed(300, "m2", true), new MarkEchoed(300, "m3", true),
                new MarkEchoed(300, "m4", true), new MarkEchoed(300, "m5", true));
        assertThat(r.events(AgentAudioStop.class)).containsExactly(new AgentAudioStop(300));
        assertThat(slice(r.agentPcm(), 0, 2400)).isEqualTo(MuLaw.decode(slice(clip, 0, 2400)));
        assertThat(silent(slice(r.agentPcm(), 2400, r.agentPcm().length))).isTrue();
    }

    @Test
    void afterAgentLinesWaitForTheAgentsTurnAndTheGap() {
        byte[] first = toneMuLaw(500, 300);
        byte[] second = toneMuLaw(300, 600);
        Driver d = new Driver(call().build(),
                line("first", new CallerLine.AfterAgent(300), first),
                line("second", new CallerLine.AfterAgent(200), second));

        // An agent that never speaks is never answered: the caller waits for a turn, not for silence.
        d.runTo(1000);
        assertThat(d.session.result().events(CallerSpeechStart.class)).isEmpty();

        d.tick(media(toneMuLaw(400, 440)));
        d.runTo(3000);
        SimulationResult r = d.session.result();
        assertThat(r.events(AgentAudioStop.class)).containsExactly(new AgentAudioStop(1400));
        assertThat(r.events(CallerSpeechStart.class)).containsExactly(new CallerSpeechStart(1700, "first"));
        assertThat(r.events(CallerSpeechStop.class)).containsExactly(new CallerSpeechStop(2200, "first"));

        d.tick(media(toneMuLaw(200, 440)));
        d.runTo(4000);
        r = d.session.result();
        assertThat(r.events(CallerSpeechStart.class)).containsExactly(
                new CallerSpeechStart(1700, "first"), new CallerSpeechStart(3400, "second"));

        short[] caller = r.callerPcm();
        assertThat(silent(slice(caller, 0, 1700 * 8))).isTrue();
        assertThat(slice(caller, 1700 * 8, 2200 * 8)).isEqualTo(MuLaw.decode(first));
        assertThat(silent(slice(caller, 2200 * 8, 3400 * 8))).isTrue();
        assertThat(slice(caller, 3400 * 8, 3700 * 8)).isEqualTo(MuLaw.decode(second));
    }

    @Test
    void anAfterAgentLineAlsoWaitsTheGapAfterTheCallersOwnPreviousLine() {
        Driver d = new Driver(call().build(),
                line("early", new CallerLine.At(0), toneMuLaw(1000, 300)),
                line("reply", new CallerLine.AfterAgent(200), toneMuLaw(100, 600)));
        d.runTo(100);
        d.tick(media(toneMuLaw(200, 440)));
        d.runTo(2000);

        // The agent spoke 100-300 ms, over the caller; the caller's own line ended at 1000.
        assertThat(d.session.result().events(CallerSpeechStart.class))
                .containsExactly(new CallerSpeechStart(0, "early"), new CallerSpeechStart(1200, "reply"));
    }

    @Test
    void anAfterPauseLineStartsItsGapAfterTheCallersLineWhateverTheAgentDoes() {
        Driver d = new Driver(call().build(),
                line("We ship pallets, crates,", new CallerLine.At(0), toneMuLaw(600, 300)),
                line("and loose boxes.", new CallerLine.AfterPause(800), toneMuLaw(400, 300)));
        d.runTo(700);
        d.tick(media(toneMuLaw(2000, 440)));
        d.runTo(3000);

        assertThat(d.session.result().events(CallerSpeechStart.class)).containsExactly(
                new CallerSpeechStart(0, "We ship pallets, crates,"), new CallerSpeechStart(1400, "and loose boxes."));
    }

    @Test
    void spokenLinesOfAnotherVoiceAreNamedToTheSandboxRecognizerAsSaidOnesAre() {
        short[] samples = new short[2400];
        SimulatedCall call = call().line(CallerLine.spoken("Sure, I have a minute.", samples))
                .line(CallerLine.pcm("a tone", samples)).build();
        Driver d = new Driver(call, line("Sure, I have a minute.", new CallerLine.AfterAgent(500), new byte[2400]),
                line("a tone", new CallerLine.AfterAgent(500), new byte[2400]));

        assertThat(d.sent.get(1).path("start").path("customParameters").toString())
                .isEqualTo("{\"sandbox-line-1\":\"Sure, I have a minute.\",\"sandbox-line-1-ms\":\"300\"}");
    }

    @Test
    void anAtLineStartsOnTimeOverTheAgent() {
        byte[] line = toneMuLaw(300, 300);
        Driver d = new Driver(call().build(), line("barge", new CallerLine.At(500), line));
        d.tick(media(toneMuLaw(2000, 440)));
        d.runTo(1000);

        SimulationResult r = d.session.result();
        assertThat(r.events(CallerSpeechStart.class)).containsExactly(new CallerSpeechStart(500, "barge"));
        assertThat(r.events(AgentAudioStop.class)).isEmpty();
        JsonNode frame = d.sent("media").get(25);
        assertThat(frame.path("media").path("timestamp").asText()).isEqualTo("500");
        assertThat(Base64.getDecoder().decode(frame.path("media").path("payload").asText()))
                .isEqualTo(slice(line, 0, 160));
    }

    @Test
    void anIntoAgentLineWaitsForTheAgentAndStartsThatFarIntoItsAudio() {
        Driver d = new Driver(call().build(), line("yeah", new CallerLine.IntoAgent(400), toneMuLaw(300, 300)));
        d.runTo(1000);
        assertThat(d.session.result().events(CallerSpeechStart.class)).as("no agent audio yet").isEmpty();
        d.tick(media(toneMuLaw(2000, 440)));
        d.runTo(2000);

        SimulationResult r = d.session.result();
        long agentStart = r.events(AgentAudioStart.class).get(0).atMs();
        assertThat(r.events(CallerSpeechStart.class)).containsExactly(new CallerSpeechStart(agentStart + 400, "yeah"));
    }

    @Test
    void dtmfGoesOutAtItsTimeOnTheInboundTrack() {
        Driver d = new Driver(call().dtmf('7', 90).dtmf('#', 90).build());
        d.runTo(100);
        assertThat(d.sent("dtmf")).isEmpty();
        List<JsonNode> sent = d.tick();

        assertThat(sent).extracting(m -> m.path("event").asText()).containsExactly("media", "dtmf", "dtmf");
        JsonNode dtmf = sent.get(1);
        assertThat(dtmf.path("sequenceNumber").asText()).isEqualTo(String.valueOf(Integer.parseInt(
                sent.get(0).path("sequenceNumber").asText()) + 1));
        assertThat(dtmf.path("streamSid").asText()).isEqualTo(STREAM);
        assertThat(dtmf.path("dtmf").path("track").asText()).isEqualTo("inbound_track");
        assertThat(dtmf.path("dtmf").path("digit").asText()).isEqualTo("7");
        assertThat(d.session.result().events(Dtmf.class)).containsExactly(new Dtmf(100, '7'), new Dtmf(100, '#'));
    }

    @Test
    void hangsUpWithStopOnceTheScriptIsDoneAndTheAgentHasBeenQuietLongEnough() {
        SimulatedCall call = call().idleHangup(Duration.ofMillis(400)).build();
        Driver d = new Driver(call, line("hi", new CallerLine.At(0), toneMuLaw(100, 300)));
        d.tick(media(toneMuLaw(200, 440)));
        for (int i = 0; i < 100 && !d.session.isOver(); i++) {
            d.tick();
        }

        assertThat(d.session.isOver()).isTrue();
        JsonNode stop = d.sent.get(d.sent.size() - 1);
        assertThat(stop.path("event").asText()).isEqualTo("stop");
        assertThat(stop.path("sequenceNumber").asText()).isEqualTo(String.valueOf(d.sent.size() - 1));
        assertThat(stop.path("streamSid").asText()).isEqualTo(STREAM);
        assertThat(stop.path("stop").path("callSid").asText()).isEqualTo(call.callSid());
        assertThat(stop.path("stop").path("accountSid").asText()).isEqualTo(call.accountSid());
        SimulationResult r = d.session.result();
        assertThat(r.events(Hangup.class)).containsExactly(new Hangup(600, HangupReason.IDLE));
        assertThat(r.durationMs()).isEqualTo(600);
        assertThat(r.callerPcm()).hasSize(600 * 8);
        assertThat(r.agentPcm()).hasSize(600 * 8);
    }

    @Test
    void theMaximumDurationCutsOffBothSidesMidSentence() {
        SimulatedCall call = call().maxDuration(Duration.ofMillis(300)).build();
        Driver d = new Driver(call, line("long", new CallerLine.At(100), toneMuLaw(1000, 300)));
        d.tick(media(toneMuLaw(1000, 440)));
        d.runTo(1000);

        SimulationResult r = d.session.result();
        assertThat(r.events(Hangup.class)).containsExactly(new Hangup(300, HangupReason.MAX_DURATION));
        assertThat(r.events(AgentAudioStop.class)).containsExactly(new AgentAudioStop(300));
        assertThat(r.events(CallerSpeechStop.class)).containsExactly(new CallerSpeechStop(300, "long"));
        assertThat(r.durationMs()).isEqualTo(300);
        assertThat(r.agentAudioMs()).isEqualTo(300);
    }

    @Test
    void theAgentClosingEndsTheCallWithoutAStop() {
        Driver d = new Driver(call().build());
        d.tick(media(toneMuLaw(1000, 440)));
        d.runTo(200);
        List<JsonNode> sent = d.tick(new TwilioSide.SocketClosed(1000, "bye"));

        assertThat(sent).isEmpty();
        assertThat(d.session.isOver()).isTrue();
        assertThat(d.session.isClosed()).isTrue();
        SimulationResult r = d.session.result();
        assertThat(r.events(Closed.class)).containsExactly(new Closed(200, 1000, "bye", ClosedBy.AGENT));
        assertThat(r.events(AgentAudioStop.class)).containsExactly(new AgentAudioStop(200));
        assertThat(r.events(Hangup.class)).isEmpty();
        assertThat(r.durationMs()).isEqualTo(200);
    }

    @Test
    void protocolViolationsAreRecordedAndTheCallGoesOn() {
        Driver d = new Driver(call().build());
        String good = Base64.getEncoder().encodeToString(new byte[160]);
        d.tick(
                new TwilioSide.Text("{\"event\":\"media\",\"streamSid\":\"MZwrong\",\"media\":{\"payload\":\"" + good + "\"}}"),
                new TwilioSide.Text("{\"event\":\"media\",\"media\":{\"payload\":\"" + good + "\"}}"),
                new TwilioSide.Text("{\"event\":\"media\",\"streamSid\":\"" + STREAM + "\",\"media\":{\"payload\":\"@@not base64@@\"}}"),
                new TwilioSide.Text("{\"event\":\"media\",\"streamSid\":\"" + STREAM + "\",\"media\":{}}"),
                new TwilioSide.Text("{\"event\":\"mark\",\"streamSid\":\"" + STREAM + "\",\"mark\":{}}"),
                new TwilioSide.Text("{\"event\":\"speak\",\"streamSid\":\"" + STREAM + "\"}"),
                new TwilioSide.Text("{\"streamSid\":\"" + STREAM + "\"}"),
                new TwilioSide.Text("not json"),
                new TwilioSide.Binary(320));
        d.runTo(200);

        SimulationResult r = d.session.result();
        assertThat(r.violations()).extracting(ProtocolViolation::problem).containsExactly(
                "media for unknown streamSid MZwrong",
                "media without a streamSid",
                "media payload is not valid base64",
                "media without a payload",
                "mark without a name",
                "unknown event 'speak'",
                "no event name",
                "not JSON",
                "binary frame of 320 bytes: Twilio only reads JSON text frames");
        assertThat(r.violations()).extracting(ProtocolViolation::atMs).containsOnly(0L);
        assertThat(r.received()).containsOnly(
                entry("media", 4),
                entry("mark", 1),
                entry("speak", 1));
        assertThat(r.events(AgentAudioStart.class)).isEmpty();
        assertThat(d.sent("media")).hasSize(10);
    }

    @Test
    void theReportNamesEachEventAndItsFieldsInSnakeCase() {
        SimulatedCall call = call().idleHangup(Duration.ofMillis(100)).parameter("k", "v").build();
        Driver d = new Driver(call);
        d.tick(media(toneMuLaw(40, 440)), mark("end"));
        for (int i = 0; i < 100 && !d.session.isOver(); i++) {
            d.tick();
        }
        d.session.closed(1000, "", ClosedBy.CALLER, 150);

        JsonNode report = Report.toJson(d.session.result());
        assertThat(report.path("call_sid").asText()).isEqualTo(call.callSid());
        assertThat(report.path("custom_parameters").path("k").asText()).isEqualTo("v");
        assertThat(report.path("duration_ms").asLong()).isEqualTo(140);
        assertThat(report.path("agent_audio_ms").asLong()).isEqualTo(40);
        assertThat(report.path("first_agent_audio_ms").asLong()).isEqualTo(0);
        assertThat(report.path("received").path("media").asInt()).isEqualTo(1);
        assertThat(report.path("events").toString()).isEqualTo("["
                + "{\"type\":\"mark_received\",\"at_ms\":0,\"name\":\"end\"},"
                + "{\"type\":\"agent_audio_start\",\"at_ms\":0},"
                + "{\"type\":\"mark_echoed\",\"at_ms\":40,\"name\":\"end\",\"cleared\":false},"
                + "{\"type\":\"agent_audio_stop\",\"at_ms\":40},"
                + "{\"type\":\"hangup\",\"at_ms\":140,\"reason\":\"idle\"},"
                + "{\"type\":\"closed\",\"at_ms\":150,\"code\":1000,\"reason\":\"\",\"by\":\"caller\"}]");
    }
}
