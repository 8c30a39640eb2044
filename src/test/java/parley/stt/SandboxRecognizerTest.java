package parley.stt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import parley.audio.MuLaw;
import parley.audio.OfflineVoice;
import parley.stt.RecordingListener.Event;
import parley.stt.RecordingListener.Heard;
import parley.stt.RecordingListener.SpeechStarted;
import parley.stt.RecordingListener.UtteranceEnd;

/**
 * The sandbox recognizer with the real client and real synthetic speech: lines come back as interim and final
 * results placed on the speech, and the protocol's edges (validation, idle close, Finalize, CloseStream) behave
 * as Deepgram documents them.
 */
class SandboxRecognizerTest {

    private static final int FRAME = 160;
    private static final String GOOD_QUERY = "model=nova-3&encoding=mulaw&sample_rate=8000&channels=1"
            + "&interim_results=true&endpointing=300&utterance_end_ms=1000&vad_events=true&smart_format=true";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static OfflineVoice voice;

    private SandboxRecognizer sandbox;
    private DeepgramLiveClient client;
    private final RecordingListener listener = new RecordingListener();

    @BeforeAll
    static void loadVoice() {
        voice = new OfflineVoice();
    }

    @AfterAll
    static void closeVoice() {
        voice.close();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (sandbox != null) {
            sandbox.stop();
        }
    }

    /** A caller's audio: lines with silence around them, and where each line's audio lies, in seconds. */
    private static final class Call {
        final ByteArrayOutputStream audio = new ByteArrayOutputStream();
        final List<double[]> spans = new ArrayList<>();

        Call silence(int ms) {
            byte[] quiet = new byte[ms * 8];
            Arrays.fill(quiet, MuLaw.SILENCE);
            audio.writeBytes(quiet);
            return this;
        }

        Call say(String line) {
            byte[] speech = voice.speakMuLaw(line);
            spans.add(new double[] {seconds(audio.size()), seconds(audio.size() + speech.length)});
            audio.writeBytes(speech);
            return this;
        }

        byte[] bytes() {
            return audio.toByteArray();
        }

        static double seconds(int bytes) {
            return bytes / 8000.0;
        }
    }

    private DeepgramStream openCall(String callId, Duration keepAliveEvery, String... lines) {
        Map<String, String> parameters = new HashMap<>();
        for (int i = 0; i < lines.length; i++) {
            parameters.put("sandbox-line-" + (i + 1), lines[i]);
        }
        return open(callId, keepAliveEvery, parameters, listener);
    }

    private DeepgramStream open(String callId, Duration keepAliveEvery, Map<String, String> parameters,
                                RecordingListener listener) {
        DeepgramSettings settings = DeepgramSettings.defaults("sandbox-key").withUrl(sandbox.url())
                .withKeepAliveEvery(keepAliveEvery).withReconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(200));
        client = new DeepgramLiveClient(settings);
        return (DeepgramStream) client.open(callId, parameters, listener);
    }

    /** Sends audio as Twilio would, in 20 ms frames, four times faster than real time. */
    private static void play(RecognitionStream stream, byte[] audio) throws InterruptedException {
        for (int at = 0; at < audio.length; at += FRAME) {
            stream.sendAudio(Arrays.copyOfRange(audio, at, Math.min(audio.length, at + FRAME)));
            Thread.sleep(5);
        }
    }

    @Test
    void linesComeBackAsInterimThenFinalResultsPlacedOnTheSpeech() throws Exception {
        sandbox = new SandboxRecognizer(SandboxSettings.defaults()).start();
        String first = "Hello, this is Sam from Acme.";
        String second = "Yes, I would like to hear more about the premium plan.";
        Call call = new Call().silence(400).say(first).silence(1500).say(second).silence(1500);
        DeepgramStream stream = openCall("CA-two-lines", Duration.ofSeconds(4), first, second);

        play(stream, call.bytes());
        listener.await(l -> l.events().stream().filter(UtteranceEnd.class::isInstance).count() == 2,
                "two utterance ends");
        stream.close();
        stream.whenClosed().get(5, TimeUnit.SECONDS);

        assertThat(listener.problems()).isEmpty();
        List<Event> events = listener.events();
        List<String> lines = List.of(first, second);
        int line = 0;
        boolean interimSeen = false;
        List<String> order = new ArrayList<>();
        for (Event event : events) {
            if (event instanceof SpeechStarted started) {
                order.add("speech");
                assertThat(started.at()).as("speech %d starts", line + 1)
                        .isCloseTo(call.spans.get(line)[0], within(0.06));
            } else if (event instanceof Heard heard && !heard.transcript().isFinal()) {
                Transcript t = heard.transcript();
                assertThat(lines.get(line)).as("interim of line %d", line + 1).startsWith(t.text());
                assertThat(t.text()).isNotEmpty();
                double[] span = call.spans.get(line);
                assertThat(t.words()).allSatisfy(w -> assertThat(w.start()).isBetween(span[0], span[1]));
                interimSeen = true;
            } else if (event instanceof Heard heard) {
                order.add("final");
                Transcript t = heard.transcript();
                double[] span = call.spans.get(line);
                assertThat(t.text()).isEqualTo(lines.get(line));
                assertThat(t.speechFinal()).isTrue();
                assertThat(t.fromFinalize()).isFalse();
                assertThat(interimSeen).as("an interim result before final %d", line + 1).isTrue();
                // The offline voice leaves 20 ms before and 50 ms after the speech it trims to.
                assertThat(t.start()).isCloseTo(span[0] + 0.02, within(0.05));
                assertThat(t.start() + t.duration()).isCloseTo(span[1] - 0.05, within(0.1));
                assertThat(t.words()).hasSize(lines.get(line).split(" ").length);
                assertThat(t.words().get(0).start()).isCloseTo(t.start(), within(0.002));
                assertThat(t.words().get(t.words().size() - 1).end())
                        .isCloseTo(t.start() + t.duration(), within(0.002));
                for (int i = 1; i < t.words().size(); i++) {
                    assertThat(t.words().get(i).start()).isGreaterThanOrEqualTo(t.words().get(i - 1).end() - 0.002);
                }
                assertThat(String.join(" ", t.words().stream().map(Word::word).toList())).isEqualTo(t.text());
            } else if (event instanceof UtteranceEnd end) {
                order.add("end");
                Transcript last = listener.finals().get(line);
                assertThat(end.lastWordEnd()).isCloseTo(last.start() + last.duration(), within(0.002));
                line++;
                interimSeen = false;
            }
        }
        assertThat(order).containsExactly("speech", "final", "end", "speech", "final", "end");
    }

    @Test
    void finalizeAnswersWithTheWholeLineFromFinalize() throws Exception {
        sandbox = new SandboxRecognizer(SandboxSettings.defaults()).start();
        String line = "My number is five five five, one two three four.";
        Call call = new Call().silence(200).say(line).silence(150);
        DeepgramStream stream = openCall("CA-finalize", Duration.ofSeconds(4), line);

        play(stream, call.bytes());
        // 150 ms of silence is short of endpointing: only Finalize can end the utterance now.
        Thread.sleep(400);
        assertThat(listener.finals()).isEmpty();
        stream.finalizeUtterance();
        listener.await(l -> l.finals().size() == 1, "the answer to Finalize");

        Transcript answer = listener.finals().get(0);
        assertThat(answer.text()).isEqualTo(line);
        assertThat(answer.fromFinalize()).isTrue();
        assertThat(answer.speechFinal()).isFalse();
        assertThat(answer.start()).isCloseTo(call.spans.get(0)[0] + 0.02, within(0.05));

        play(stream, new Call().silence(1200).bytes());
        listener.await(l -> l.events().get(l.events().size() - 1) instanceof UtteranceEnd, "the utterance end");
        assertThat(listener.finals()).hasSize(1);
        stream.close();
    }

    @Test
    void aReconnectedCallGoesOnWithItsNextLineOnTheCallTimeline() throws Exception {
        sandbox = new SandboxRecognizer(SandboxSettings.defaults().withIdleTimeout(Duration.ofMillis(500))).start();
        String first = "No thanks.";
        String second = "Call me next week.";
        DeepgramStream stream = openCall("CA-reconnect", Duration.ofSeconds(5), first, second);
        // Lines a second apart, as on a call, where the agent speaks between the caller's lines.
        Call call = new Call().silence(200).say(first).silence(1000);
        int firstPart = call.audio.size();
        call.say(second).silence(1000);
        byte[] audio = call.bytes();

        play(stream, Arrays.copyOfRange(audio, 0, firstPart));
        listener.await(l -> l.finals().size() == 1, "the first line");
        // Silence on the wire for longer than the sandbox's idle timeout: it closes with NET-0001.
        listener.await(l -> !l.problems().isEmpty(), "the idle close", 5);
        play(stream, Arrays.copyOfRange(audio, firstPart, audio.length));
        listener.await(l -> l.finals().size() == 2, "the second line");

        assertThat(listener.problems().get(0)).contains("1011").contains("NET-0001");
        Transcript again = listener.finals().get(1);
        assertThat(again.text()).isEqualTo(second);
        assertThat(again.start()).isCloseTo(call.spans.get(1)[0] + 0.02, within(0.05));
        assertThat(again.start() + again.duration()).isCloseTo(call.spans.get(1)[1] - 0.05, within(0.1));
        stream.close();
    }

    @Test
    void speechBeyondTheLastLineIsHeardButGivesNoResults() throws Exception {
        sandbox = new SandboxRecognizer(SandboxSettings.defaults()).start();
        Call call = new Call().silence(200).say("Sure.").silence(1000).say("Anything else?").silence(1000);
        DeepgramStream stream = openCall("CA-beyond", Duration.ofSeconds(4), "Sure.");

        play(stream, call.bytes());
        listener.await(l -> l.events().stream().filter(SpeechStarted.class::isInstance).count() == 2,
                "speech twice");
        stream.close();
        stream.whenClosed().get(5, TimeUnit.SECONDS);

        assertThat(listener.transcripts()).extracting(Transcript::text).allMatch("Sure."::startsWith);
        assertThat(listener.finals()).extracting(Transcript::text).containsExactly("Sure.");
    }

    @Test
    void aLineSaidFasterThanTheUsualPaceIsAnsweredWholeAtFinalizeWhenItsLengthIsKnown() throws Exception {
        sandbox = new SandboxRecognizer(SandboxSettings.defaults()).start();
        String line = "Sure, what's this about?";
        Call call = new Call().silence(200).say(line).silence(250);
        long lengthMs = Math.round(1000 * (call.spans.get(0)[1] - call.spans.get(0)[0]));

        DeepgramStream unknown = openCall("CA-quick-unknown", Duration.ofSeconds(4), line);
        play(unknown, call.bytes());
        unknown.finalizeUtterance();
        listener.await(l -> l.finals().size() == 1, "the answer to Finalize");
        assertThat(listener.finals().get(0).text()).as("taken for a pause mid-line").isNotEqualTo(line);
        unknown.close();
        client.close();

        RecordingListener knowing = new RecordingListener();
        DeepgramStream known = open("CA-quick-known", Duration.ofSeconds(4),
                Map.of("sandbox-line-1", line, "sandbox-line-1-ms", String.valueOf(lengthMs)), knowing);
        play(known, call.bytes());
        known.finalizeUtterance();
        knowing.await(l -> l.finals().size() == 1, "the answer to Finalize");
        assertThat(knowing.finals().get(0).text()).isEqualTo(line);
        assertThat(knowing.finals().get(0).fromFinalize()).isTrue();
        known.close();
    }

    @Test
    void theHandshakeIsValidatedAsDeepgramDoes() throws Exception {
        sandbox = new SandboxRecognizer(SandboxSettings.defaults()).start();

        assertThat(refusal(GOOD_QUERY.replace("mulaw", "mp3"), "Token k"))
                .isEqualTo("400 Invalid value for encoding: 'mp3'.");
        assertThat(refusal(GOOD_QUERY.replace("mulaw", "opus"), "Token k"))
                .isEqualTo("400 The sandbox recognizer decodes mulaw and linear16 only, not 'opus'.");
        assertThat(refusal(GOOD_QUERY.replace("&sample_rate=8000", ""), "Token k"))
                .isEqualTo("400 sample_rate is required when encoding is set.");
        assertThat(refusal(GOOD_QUERY.replace("interim_results=true", "interim_results=false"), "Token k"))
                .isEqualTo("400 utterance_end_ms requires interim_results=true.");
        assertThat(refusal(GOOD_QUERY.replace("utterance_end_ms=1000", "utterance_end_ms=500"), "Token k"))
                .isEqualTo("400 utterance_end_ms must be at least 1000, got 500.");
        assertThat(refusal(GOOD_QUERY.replace("vad_events=true", "vad_events=yes"), "Token k"))
                .isEqualTo("400 Invalid value for vad_events: 'yes'.");
        assertThat(refusal(GOOD_QUERY + "&extra=no-colon", "Token k"))
                .isEqualTo("400 extra must be KEY:VALUE, got 'no-colon'.");
        assertThat(refusal(GOOD_QUERY + "&extra=sandbox-line-1-ms%3Along", "Token k"))
                .isEqualTo("400 extra 'sandbox-line-1-ms' must be a length in milliseconds.");
        assertThat(refusal(GOOD_QUERY, null)).isEqualTo("401 Invalid credentials.");
        assertThat(refusal(GOOD_QUERY, "Basic abc")).isEqualTo("401 Invalid credentials.");
        assertThat(refusal(GOOD_QUERY, "Token k")).isNull();
    }

    @Test
    void anIdleConnectionIsClosedWithNet0001AndKeepAliveHoldsItOpen() throws Exception {
        sandbox = new SandboxRecognizer(SandboxSettings.defaults().withIdleTimeout(Duration.ofMillis(400))).start();
        RawSocket idle = RawSocket.open(sandbox.url(), GOOD_QUERY);
        RawSocket kept = RawSocket.open(sandbox.url(), GOOD_QUERY);

        for (int i = 0; i < 8; i++) {
            kept.socket.sendText("{\"type\":\"KeepAlive\"}", true).get(1, TimeUnit.SECONDS);
            Thread.sleep(150);
        }

        assertThat(idle.closed.get(1, TimeUnit.SECONDS)).startsWith("1011 NET-0001");
        assertThat(kept.closed).isNotDone();
        assertThat(kept.messages).as("KeepAlive gets no answer").isEmpty();
        kept.socket.abort();
    }

    @Test
    void closeStreamGivesTheLastResultsThenMetadataThenCloses() throws Exception {
        sandbox = new SandboxRecognizer(SandboxSettings.defaults().withLatency(Duration.ofMillis(50))).start();
        String line = "Thanks, goodbye.";
        byte[] audio = new Call().silence(100).say(line).silence(100).bytes();
        RawSocket raw = RawSocket.open(sandbox.url(), GOOD_QUERY + "&tag=CA-raw&extra=sandbox-line-1%3A"
                + "Thanks%2C+goodbye.&extra=campaign%3Aspring");

        for (int at = 0; at < audio.length; at += FRAME) {
            raw.socket.sendBinary(ByteBuffer.wrap(audio, at, Math.min(FRAME, audio.length - at)), true)
                    .get(1, TimeUnit.SECONDS);
        }
        raw.socket.sendText("{\"type\":\"CloseStream\"}", true).get(1, TimeUnit.SECONDS);

        assertThat(raw.closed.get(5, TimeUnit.SECONDS)).isEqualTo("1000 ");
        List<JsonNode> messages = new ArrayList<>(raw.messages);
        JsonNode last = messages.get(messages.size() - 1);
        JsonNode finalResult = messages.get(messages.size() - 2);
        assertThat(finalResult.path("type").asText()).isEqualTo("Results");
        assertThat(finalResult.path("is_final").asBoolean()).isTrue();
        assertThat(finalResult.path("channel").path("alternatives").path(0).path("transcript").asText())
                .isEqualTo(line);
        assertThat(last.path("type").asText()).isEqualTo("Metadata");
        assertThat(last.path("duration").asDouble()).isCloseTo(audio.length / 8000.0, within(0.001));
        assertThat(last.path("channels").asInt()).isEqualTo(1);
        assertThat(last.path("sha256").asText())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(audio)));
        assertThat(last.path("extra").path("campaign").asText()).isEqualTo("spring");
        assertThat(messages).filteredOn(m -> m.path("type").asText().equals("SpeechStarted")).hasSize(1);
    }

    /** "status dg-error" if the sandbox refuses the handshake, null if it accepts it. */
    private String refusal(String query, String authorization) throws Exception {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        try {
            builder.buildAsync(URI.create(sandbox.url() + "?" + query), new WebSocket.Listener() { })
                    .get(5, TimeUnit.SECONDS).abort();
            return null;
        } catch (ExecutionException e) {
            var response = ((WebSocketHandshakeException) e.getCause()).getResponse();
            return response.statusCode() + " " + response.headers().firstValue("dg-error").orElse("");
        }
    }

    /** A bare JDK WebSocket on the sandbox, recording messages and how it was closed ("code reason"). */
    private static final class RawSocket implements WebSocket.Listener {
        final LinkedBlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        static RawSocket open(URI url, String query) throws Exception {
            RawSocket raw = new RawSocket();
            raw.socket = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Token k")
                    .buildAsync(URI.create(url + "?" + query), raw).get(5, TimeUnit.SECONDS);
            return raw;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    messages.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new AssertionError("the sandbox sent something that is not JSON: " + partial, e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
