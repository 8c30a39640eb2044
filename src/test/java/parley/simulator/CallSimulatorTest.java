package parley.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static parley.simulator.TestAudio.silent;
import static parley.simulator.TestAudio.slice;
import static parley.simulator.TestAudio.tone;
import static parley.simulator.TestAudio.toneMuLaw;

import com.fasterxml.jackson.databind.JsonNode;
import com.twilio.security.RequestValidator;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import parley.audio.MuLaw;
import parley.simulator.FakeParley.Connection;
import parley.simulator.FakeParley.Received;
import parley.simulator.SimulationEvent.AgentAudioStart;
import parley.simulator.SimulationEvent.AgentAudioStop;
import parley.simulator.SimulationEvent.CallerSpeechStart;
import parley.simulator.SimulationEvent.CallerSpeechStop;
import parley.simulator.SimulationEvent.Clear;
import parley.simulator.SimulationEvent.Closed;
import parley.simulator.SimulationEvent.ClosedBy;
import parley.simulator.SimulationEvent.Hangup;
import parley.simulator.SimulationEvent.HangupReason;
import parley.simulator.SimulationEvent.MarkEchoed;

/** Whole calls in real time against a local WebSocket server that plays Parley's part. */
class CallSimulatorTest {

    /** Late by at most this much: a tick to notice the message, a tick to echo, and scheduling noise. */
    private static final long SLACK_MS = 80;

    private static CallSimulator simulator;

    @BeforeAll
    static void startSimulator() {
        simulator = new CallSimulator();
    }

    @AfterAll
    static void closeSimulator() {
        simulator.close();
    }

    /** On start, a one-second clip as five 200 ms media messages, each followed by a mark m1..m5. */
    private static final byte[] CLIP = toneMuLaw(1000, 440);

    private static void playClipWithMarks(Connection c) {
        for (int i = 0; i < 5; i++) {
            c.media(slice(CLIP, i * 1600, (i + 1) * 1600));
            c.mark("m" + (i + 1));
        }
    }

    private static BiConsumer<Connection, JsonNode> onStart(Consumer<Connection> action) {
        return (c, message) -> {
            if (message.path("event").asText().equals("start")) {
                action.accept(c);
            }
        };
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    @Test
    void marksComeBackWhenTheirAudioHasPlayedAndTheRecordingHoldsTheClip() throws Exception {
        try (FakeParley parley = new FakeParley(onStart(CallSimulatorTest::playClipWithMarks))) {
            SimulationResult r = simulator.run(SimulatedCall.to(parley.url()).idleHangup(Duration.ofMillis(300)).build());
            Connection c = parley.connection();

            long firstSent = c.sentMediaNanos().get(0);
            List<Received> echoes = c.received("mark");
            assertThat(echoes).extracting(e -> e.message().path("mark").path("name").asText())
                    .containsExactly("m1", "m2", "m3", "m4", "m5");
            for (int i = 0; i < 5; i++) {
                long after = ms(echoes.get(i).nanos() - firstSent);
                long audio = (i + 1) * 200L;
                assertThat(after).as("m%d echoed %d ms after its audio was sent", i + 1, after)
                        .isGreaterThanOrEqualTo(audio).isLessThanOrEqualTo(audio + SLACK_MS);
            }

            long start = r.firstAgentAudioMs().orElseThrow();
            assertThat(start).isLessThanOrEqualTo(SLACK_MS);
            assertThat(r.events(MarkEchoed.class)).extracting(MarkEchoed::atMs)
                    .containsExactly(start + 200, start + 400, start + 600, start + 800, start + 1000);
            assertThat(r.events(MarkEchoed.class)).noneMatch(MarkEchoed::cleared);
            assertThat(r.events(AgentAudioStop.class)).containsExactly(new AgentAudioStop(start + 1000));

            int from = (int) start * 8;
            assertThat(silent(slice(r.agentPcm(), 0, from))).isTrue();
            assertThat(slice(r.agentPcm(), from, from + 8000)).isEqualTo(MuLaw.decode(CLIP));
            assertThat(silent(slice(r.agentPcm(), from + 8000, r.agentPcm().length))).isTrue();
            assertThat(r.callerPcm()).hasSameSizeAs(r.agentPcm());
            assertThat(r.received()).containsEntry("media", 5).containsEntry("mark", 5);
            assertThat(r.violations()).isEmpty();

            // Idle hang-up: stop 300 ms after the agent fell silent, then the caller closes the socket.
            assertThat(r.events(Hangup.class)).containsExactly(new Hangup(start + 1300, HangupReason.IDLE));
            assertThat(c.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1000);
            List<Received> all = c.received();
            assertThat(all.get(all.size() - 1).event()).isEqualTo("stop");
            assertThat(all.get(all.size() - 1).message().path("stop").path("callSid").asText()).isEqualTo(r.call().callSid());
            Closed closed = r.events(Closed.class).get(0);
            assertThat(closed.by()).isEqualTo(ClosedBy.CALLER);
            assertThat(closed.code()).isEqualTo(1000);
            assertThat(r.events().get(r.events().size() - 1)).isEqualTo(closed);
        }
    }

    @Test
    void clearDropsTheRestOfTheAudioAndSendsBackEveryPendingMarkAtOnce() throws Exception {
        AtomicLong clearSent = new AtomicLong();
        BiConsumer<Connection, JsonNode> script = (c, message) -> {
            String event = message.path("event").asText();
            if (event.equals("start")) {
                playClipWithMarks(c);
            } else if (event.equals("mark") && message.path("mark").path("name").asText().equals("m1")) {
                clearSent.set(System.nanoTime());
                c.clear();
            }
        };
        try (FakeParley parley = new FakeParley(script)) {
            SimulationResult r = simulator.run(SimulatedCall.to(parley.url()).idleHangup(Duration.ofMillis(300)).build());
            Connection c = parley.connection();

            List<Received> echoes = c.received("mark");
            assertThat(echoes).extracting(e -> e.message().path("mark").path("name").asText())
                    .containsExactly("m1", "m2", "m3", "m4", "m5");
            for (Received echo : echoes.subList(1, 5)) {
                assertThat(ms(echo.nanos() - clearSent.get())).isLessThanOrEqualTo(SLACK_MS);
            }

            Clear clear = r.events(Clear.class).get(0);
            assertThat(clear.pendingMarks()).isEqualTo(4);
            assertThat(r.events(MarkEchoed.class)).extracting(MarkEchoed::name, MarkEchoed::cleared).containsExactly(
                    tuple("m1", false), tuple("m2", true),
                    tuple("m3", true), tuple("m4", true),
                    tuple("m5", true));
            assertThat(r.events(MarkEchoed.class).subList(1, 5)).extracting(MarkEchoed::atMs).containsOnly(clear.atMs());

            long start = r.firstAgentAudioMs().orElseThrow();
            long stop = r.events(AgentAudioStop.class).get(0).atMs();
            assertThat(stop).isEqualTo(clear.atMs());
            assertThat(clear.droppedMs()).isEqualTo(1000 - (stop - start));
            assertThat(stop - start).isBetween(200L, 200 + SLACK_MS);
            int played = (int) (stop - start) * 8;
            assertThat(slice(r.agentPcm(), (int) start * 8, (int) stop * 8)).isEqualTo(MuLaw.decode(slice(CLIP, 0, played)));
            assertThat(silent(slice(r.agentPcm(), (int) stop * 8, r.agentPcm().length))).isTrue();
        }
    }

    @Test
    void callerLinesGoOutAsNumberedTwentyMillisecondFramesAndTakeTurns() throws Exception {
        byte[] greeting = toneMuLaw(600, 440);
        byte[] reply = toneMuLaw(400, 520);
        short[] first = tone(400, 300);
        short[] second = tone(300, 700);
        AtomicInteger quietFrames = new AtomicInteger();
        AtomicInteger replies = new AtomicInteger();
        // The agent greets, then answers the caller once it has heard speech followed by 400 ms of quiet: longer
        // than the second line's gap, so a caller that only waited for silence would talk before the reply.
        BiConsumer<Connection, JsonNode> script = (c, message) -> {
            String event = message.path("event").asText();
            if (event.equals("start")) {
                c.media(greeting);
            } else if (event.equals("media")) {
                byte[] frame = Base64.getDecoder().decode(message.path("media").path("payload").asText());
                if (!silent(frame)) {
                    quietFrames.set(0);
                } else if (quietFrames.incrementAndGet() == 20 && replies.get() == 0
                        && c.received().stream().anyMatch(r -> r.event().equals("media") && !silent(payload(r)))) {
                    replies.incrementAndGet();
                    c.media(reply);
                }
            }
        };
        try (FakeParley parley = new FakeParley(script)) {
            SimulatedCall call = SimulatedCall.to(parley.url())
                    .line(CallerLine.pcm("first", first).afterAgent(300))
                    .line(CallerLine.pcm("second", second).afterAgent(200))
                    .dtmf('7', 100)
                    .idleHangup(Duration.ofMillis(300))
                    .build();
            SimulationResult r = simulator.run(call);
            Connection c = parley.connection();

            // Framing: every message after connected is numbered 1, 2, 3...; media chunks count from 1 and
            // their timestamps advance 20 ms a frame.
            List<Received> all = c.received();
            assertThat(all.get(0).message().path("event").asText()).isEqualTo("connected");
            for (int i = 1; i < all.size(); i++) {
                assertThat(all.get(i).message().path("sequenceNumber").asText()).isEqualTo(String.valueOf(i));
            }
            List<Received> media = c.received("media");
            byte[] sent = new byte[media.size() * 160];
            for (int i = 0; i < media.size(); i++) {
                JsonNode m = media.get(i).message().path("media");
                assertThat(m.path("chunk").asText()).isEqualTo(String.valueOf(i + 1));
                assertThat(m.path("timestamp").asText()).isEqualTo(String.valueOf(i * 20));
                assertThat(m.path("track").asText()).isEqualTo("inbound");
                byte[] payload = payload(media.get(i));
                assertThat(payload).hasSize(160);
                System.arraycopy(payload, 0, sent, i * 160, 160);
            }
            assertThat(media.size() * 20L).isEqualTo(r.durationMs());
            Received dtmf = c.received("dtmf").get(0);
            assertThat(dtmf.message().path("dtmf").path("digit").asText()).isEqualTo("7");
            assertThat(dtmf.message().path("dtmf").path("track").asText()).isEqualTo("inbound_track");

            // Turn-taking: each line starts once the agent's turn has ended and the gap has passed.
            List<AgentAudioStop> agentStops = r.events(AgentAudioStop.class);
            List<CallerSpeechStart> lines = r.events(CallerSpeechStart.class);
            assertThat(agentStops).hasSize(2);
            assertThat(lines).extracting(CallerSpeechStart::line).containsExactly("first", "second");
            assertThat(lines.get(0).atMs()).isEqualTo(agentStops.get(0).atMs() + 300);
            assertThat(lines.get(1).atMs()).isEqualTo(agentStops.get(1).atMs() + 200);
            assertThat(r.events(AgentAudioStart.class).get(1).atMs())
                    .isGreaterThan(r.events(CallerSpeechStop.class).get(0).atMs());

            // What the agent received is exactly the caller's audio, at the times the events say.
            int at = (int) lines.get(0).atMs() * 8;
            assertThat(slice(sent, at, at + first.length)).isEqualTo(MuLaw.encode(first));
            assertThat(silent(slice(sent, 0, at))).isTrue();
            at = (int) lines.get(1).atMs() * 8;
            assertThat(slice(sent, at, at + second.length)).isEqualTo(MuLaw.encode(second));
            assertThat(r.callerPcm()).isEqualTo(MuLaw.decode(sent));

            assertThat(r.events(Hangup.class)).containsExactly(
                    new Hangup(r.events(CallerSpeechStop.class).get(1).atMs() + 300, HangupReason.IDLE));
        }
    }

    private static byte[] payload(Received media) {
        return Base64.getDecoder().decode(media.message().path("media").path("payload").asText());
    }

    @Test
    void anAtLineBargesInWhileTheAgentIsStillTalking() throws Exception {
        try (FakeParley parley = new FakeParley(onStart(c -> c.media(toneMuLaw(1200, 440))))) {
            short[] barge = tone(300, 300);
            SimulationResult r = simulator.run(SimulatedCall.to(parley.url())
                    .line(CallerLine.pcm("wait", barge).atMs(500))
                    .idleHangup(Duration.ofMillis(200))
                    .build());
            Connection c = parley.connection();

            assertThat(r.events(CallerSpeechStart.class)).containsExactly(new CallerSpeechStart(500, "wait"));
            assertThat(r.firstAgentAudioMs().orElseThrow()).isLessThan(500);
            assertThat(r.events(AgentAudioStop.class).get(0).atMs()).isGreaterThan(800);
            Received firstSpoken = c.received("media").stream().filter(m -> !silent(payload(m))).findFirst().orElseThrow();
            assertThat(firstSpoken.message().path("media").path("timestamp").asText()).isEqualTo("500");
        }
    }

    @Test
    void theHandshakeIsSignedAndStartCarriesTheCustomParameters() throws Exception {
        try (FakeParley parley = new FakeParley((c, m) -> { })) {
            SimulationResult r = simulator.run(SimulatedCall.to(parley.url())
                    .authToken("12345-secret")
                    .parameter("lead", "42")
                    .parameter("campaign", "spring sale")
                    .callSid("CA0123456789abcdef0123456789abcdef")
                    .idleHangup(Duration.ofMillis(100))
                    .build());
            Connection c = parley.connection();

            String signature = c.headers.get("X-Twilio-Signature");
            assertThat(signature).isNotBlank();
            assertThat(new RequestValidator("12345-secret").validate(parley.url(), Map.of(), signature)).isTrue();
            assertThat(new RequestValidator("another-token").validate(parley.url(), Map.of(), signature)).isFalse();
            assertThat(c.path).isEqualTo("/twilio/media");

            String[] webhook = parley.webhookRequests.poll();
            assertThat(webhook).as("Twilio asks the voice webhook before it opens the stream").isNotNull();
            Map<String, String> form = new java.util.TreeMap<>();
            for (String pair : webhook[1].split("&")) {
                String[] nameValue = pair.split("=", 2);
                form.put(java.net.URLDecoder.decode(nameValue[0], java.nio.charset.StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(nameValue[1], java.nio.charset.StandardCharsets.UTF_8));
            }
            String voiceUrl = parley.url().replace("ws://", "http://").replace("/media", "/voice");
            assertThat(new RequestValidator("12345-secret").validate(voiceUrl, form, webhook[0])).isTrue();
            assertThat(form).containsEntry("CallSid", "CA0123456789abcdef0123456789abcdef");

            JsonNode start = c.received("start").get(0).message();
            assertThat(start.path("start").path("customParameters").path("ParleyTicket").asText())
                    .as("the TwiML's parameters, XML-unescaped").isEqualTo("t&1");
            assertThat(start.path("start").path("customParameters").path("lead").asText())
                    .as("the call's own parameter wins").isEqualTo("42");
            assertThat(start.path("start").path("customParameters").path("campaign").asText()).isEqualTo("spring sale");
            assertThat(start.path("start").path("callSid").asText()).isEqualTo("CA0123456789abcdef0123456789abcdef");
            assertThat(r.call().callSid()).isEqualTo("CA0123456789abcdef0123456789abcdef");
            assertThat(r.firstAgentAudioMs()).isEmpty();
        }
        try (FakeParley parley = new FakeParley((c, m) -> { })) {
            simulator.run(SimulatedCall.to(parley.url()).idleHangup(Duration.ofMillis(100)).build());
            assertThat(parley.connection().headers).doesNotContainKey("X-Twilio-Signature");
        }
    }

    @Test
    void theAgentHangingUpEndsTheCall() throws Exception {
        try (FakeParley parley = new FakeParley(onStart(c -> {
            c.media(toneMuLaw(2000, 440));
            c.after(300, () -> c.close(1000));
        }))) {
            long began = System.nanoTime();
            SimulationResult r = simulator.run(SimulatedCall.to(parley.url()).build());
            Connection c = parley.connection();

            assertThat(ms(System.nanoTime() - began)).isLessThan(2000);
            Closed closed = r.events(Closed.class).get(0);
            assertThat(closed.by()).isEqualTo(ClosedBy.AGENT);
            assertThat(closed.code()).isEqualTo(1000);
            assertThat(r.events(Hangup.class)).isEmpty();
            assertThat(r.durationMs()).isBetween(300L, 300 + SLACK_MS);
            assertThat(r.events(AgentAudioStop.class)).containsExactly(new AgentAudioStop(r.durationMs()));
            assertThat(c.received("stop")).isEmpty();
        }
    }

    @Test
    void anAgentThatClosesStraightAwayIsReportedAsClosingIt() throws Exception {
        // Closing on connected races the simulator's start and first frames: whichever way it goes, the
        // agent's close is what ended the call, not a broken socket.
        for (int i = 0; i < 5; i++) {
            try (FakeParley parley = new FakeParley((c, m) -> {
                if (m.path("event").asText().equals("connected")) {
                    c.close(4000);
                }
            })) {
                SimulationResult r = simulator.run(SimulatedCall.to(parley.url()).build());

                assertThat(r.events(Closed.class)).extracting(Closed::by, Closed::code)
                        .containsExactly(tuple(ClosedBy.AGENT, 4000));
                assertThat(r.events(Hangup.class)).isEmpty();
            }
        }
    }

    @Test
    void theMaximumDurationEndsACallTheAgentWillNotStop() throws Exception {
        try (FakeParley parley = new FakeParley(onStart(c -> c.media(toneMuLaw(3000, 440))))) {
            SimulationResult r = simulator.run(SimulatedCall.to(parley.url()).maxDuration(Duration.ofMillis(400)).build());
            Connection c = parley.connection();

            assertThat(r.events(Hangup.class)).containsExactly(new Hangup(400, HangupReason.MAX_DURATION));
            assertThat(r.durationMs()).isEqualTo(400);
            assertThat(r.agentPcm()).hasSize(3200);
            assertThat(c.received("stop")).hasSize(1);
            assertThat(c.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1000);
        }
    }

    @Test
    void protocolViolationsAreReportedNotThrown() throws Exception {
        try (FakeParley parley = new FakeParley(onStart(c -> {
            c.send("{\"event\":\"media\",\"streamSid\":\"MZnot-this-call\",\"media\":{\"payload\":\"/w==\"}}");
            c.send("{\"event\":\"media\",\"streamSid\":\"" + c.streamSid() + "\",\"media\":{\"payload\":\"not base64!\"}}");
            c.send("{\"event\":\"play\",\"streamSid\":\"" + c.streamSid() + "\"}");
            c.media(toneMuLaw(100, 440));
        }))) {
            SimulationResult r = simulator.run(SimulatedCall.to(parley.url()).idleHangup(Duration.ofMillis(200)).build());

            assertThat(r.violations()).extracting(ProtocolViolation::problem).containsExactly(
                    "media for unknown streamSid MZnot-this-call",
                    "media payload is not valid base64",
                    "unknown event 'play'");
            assertThat(r.violations().get(2).message()).contains("\"play\"");
            assertThat(r.received()).containsEntry("media", 3).containsEntry("play", 1);
            assertThat(r.agentAudioMs()).isEqualTo(100);
        }
    }

    @Test
    void aTextLineIsSpokenByTheOfflineVoice() throws Exception {
        try (FakeParley parley = new FakeParley((c, m) -> { })) {
            SimulationResult r = simulator.run(SimulatedCall.to(parley.url())
                    .line(CallerLine.say("Hello, I would like to book a table.").atMs(0))
                    .idleHangup(Duration.ofMillis(100))
                    .build());

            CallerSpeechStop stop = r.events(CallerSpeechStop.class).get(0);
            assertThat(stop.line()).isEqualTo("Hello, I would like to book a table.");
            assertThat(stop.atMs()).isGreaterThan(1000);
            List<Short> loud = new ArrayList<>();
            for (short s : r.callerPcm()) {
                if (Math.abs(s) > 1000) {
                    loud.add(s);
                }
            }
            assertThat(loud).hasSizeGreaterThan(800);
        }
    }

    @Test
    void aStreamThatCannotBeOpenedIsAnError() throws Exception {
        String url;
        try (FakeParley parley = new FakeParley((c, m) -> { })) {
            url = parley.url();
        }
        SimulatedCall call = SimulatedCall.to(url).build();
        assertThatThrownBy(() -> simulator.run(call)).isInstanceOf(IOException.class).hasMessageContaining(url);
    }
}
