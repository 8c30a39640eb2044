package parley.stt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import parley.stt.ScriptedDeepgram.Connection;
import parley.stt.ScriptedDeepgram.Frame;

/** The client against a scripted server on Deepgram's protocol: what goes on the wire, and how faults are met. */
class DeepgramLiveClientTest {

    private static final int FRAME = 160;

    private ScriptedDeepgram server;
    private DeepgramLiveClient client;
    private final RecordingListener listener = new RecordingListener();

    @BeforeEach
    void startServer() throws Exception {
        server = new ScriptedDeepgram();
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    private static DeepgramSettings settings(URI url, Duration keepAliveEvery, Duration closeTimeout) {
        return settings(url, keepAliveEvery, closeTimeout, Duration.ofSeconds(5));
    }

    private static DeepgramSettings settings(URI url, Duration keepAliveEvery, Duration closeTimeout,
            Duration sendTimeout) {
        return new DeepgramSettings(url, "key-123", "nova-3", 300, 1000, keepAliveEvery, Duration.ofMillis(50),
                Duration.ofMillis(200), sendTimeout, closeTimeout, Duration.ofSeconds(30),
                DeepgramSettings.SANDBOX_LINE_PREFIX);
    }

    private DeepgramStream open(DeepgramSettings settings, Map<String, String> parameters) {
        client = new DeepgramLiveClient(settings);
        return (DeepgramStream) client.open("CA42", parameters, listener);
    }

    private DeepgramStream open() {
        return open(settings(server.url(), Duration.ofSeconds(4), Duration.ofSeconds(2)), Map.of());
    }

    /** Frame {@code n} of a test call: bytes that differ from frame to frame and within each frame. */
    private static byte[] frame(int n) {
        byte[] bytes = new byte[FRAME];
        for (int i = 0; i < FRAME; i++) {
            bytes[i] = (byte) (n * 31 + i * 7);
        }
        return bytes;
    }

    private static byte[] frames(int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int n = from; n < to; n++) {
            out.writeBytes(frame(n));
        }
        return out.toByteArray();
    }

    @Test
    void opensWithTheDocumentedQueryTokenAndForwardedLines() throws Exception {
        open(settings(server.url(), Duration.ofSeconds(4), Duration.ofSeconds(2)), Map.of(
                "sandbox-line-10", "Ten.", "sandbox-line-2", "Yes, please: call me.", "sandbox-line-1", "Hello there",
                "plan", "gold"));

        Connection c = server.nextConnection();

        assertThat(c.path).isEqualTo("/v1/listen");
        assertThat(c.query).isEqualTo("model=nova-3&encoding=mulaw&sample_rate=8000&channels=1"
                + "&interim_results=true&endpointing=300&utterance_end_ms=1000&vad_events=true&smart_format=true"
                + "&tag=CA42&extra=sandbox-line-1%3AHello+there&extra=sandbox-line-2%3AYes%2C+please%3A+call+me."
                + "&extra=sandbox-line-10%3ATen.");
        assertThat(c.headers.getAll("Authorization")).containsExactly("Token key-123");
    }

    @Test
    void endpointingZeroIsSentAsFalse() throws Exception {
        DeepgramSettings s = settings(server.url(), Duration.ofSeconds(4), Duration.ofSeconds(2));
        open(new DeepgramSettings(s.url(), s.apiKey(), "nova-2", 0, 1500, s.keepAliveEvery(), s.reconnectBackoff(),
                s.maxReconnectBackoff(), s.connectTimeout(), s.closeTimeout(), s.maxResend(), ""),
                Map.of("sandbox-line-1", "not forwarded"));

        assertThat(server.nextConnection().query).isEqualTo("model=nova-2&encoding=mulaw&sample_rate=8000&channels=1"
                + "&interim_results=true&endpointing=false&utterance_end_ms=1500&vad_events=true&smart_format=true"
                + "&tag=CA42");
    }

    @Test
    void sendsAudioFramesByteExactWithFinalizeAndCloseStreamInOrder() throws Exception {
        DeepgramStream stream = open();
        Connection c = server.nextConnection();

        for (int n = 0; n < 50; n++) {
            stream.sendAudio(frame(n));
        }
        stream.finalizeUtterance();
        for (int n = 50; n < 60; n++) {
            stream.sendAudio(frame(n));
        }
        stream.close();
        stream.close();
        stream.sendAudio(frame(99));
        c.awaitText("CloseStream");
        c.send("{\"type\":\"Metadata\",\"request_id\":\"r1\",\"duration\":1.2,\"channels\":1}");
        c.close(1000, "");

        stream.whenClosed().get(5, TimeUnit.SECONDS);
        List<Frame> frames = c.frames();
        assertThat(frames).hasSize(62);
        for (int n = 0; n < 50; n++) {
            assertThat(frames.get(n).audio()).as("frame %d", n).isEqualTo(frame(n));
        }
        assertThat(frames.get(50).text()).isEqualTo("{\"type\":\"Finalize\"}");
        for (int n = 50; n < 60; n++) {
            assertThat(frames.get(n + 1).audio()).as("frame %d", n).isEqualTo(frame(n));
        }
        assertThat(frames.get(61).text()).isEqualTo("{\"type\":\"CloseStream\"}");
        assertThat(listener.problems()).isEmpty();
    }

    @Test
    void keepAliveGoesOutOnlyWhileNoAudioFlows() throws Exception {
        Duration every = Duration.ofMillis(200);
        DeepgramStream stream = open(settings(server.url(), every, Duration.ofSeconds(2)), Map.of());
        Connection c = server.nextConnection();

        long[] handedOver = new long[40];
        for (int n = 0; n < handedOver.length; n++) {
            handedOver[n] = System.nanoTime();
            stream.sendAudio(frame(n));
            Thread.sleep(20);
        }
        c.await(conn -> keepAlivesAfterAudio(conn.frames(), handedOver.length) >= 3,
                "three KeepAlives once the audio stopped");
        stream.close();
        assertThat(c.audio()).isEqualTo(frames(0, handedOver.length));

        // The k-th KeepAlive since the last audio may leave only k x `every` after that audio was handed over,
        // and only before the next frame is: a busy machine can delay it, never hurry it.
        int audioSeen = 0;
        int sinceAudio = 0;
        for (Frame frame : c.frames()) {
            if (!frame.isText()) {
                audioSeen++;
                sinceAudio = 0;
                continue;
            }
            assertThat(frame.text()).isIn("{\"type\":\"KeepAlive\"}", "{\"type\":\"CloseStream\"}");
            if (frame.text().contains("KeepAlive") && audioSeen > 0) {
                sinceAudio++;
                long quietFrom = handedOver[audioSeen - 1];
                long quietUntil = audioSeen < handedOver.length ? handedOver[audioSeen] : frame.receivedNanos();
                assertThat(quietUntil - quietFrom).as("KeepAlive %d after audio frame %d", sinceAudio, audioSeen)
                        .isGreaterThanOrEqualTo(every.toNanos() * sinceAudio);
            }
        }
    }

    private static int keepAlivesAfterAudio(List<Frame> frames, int audioFrames) {
        int audio = 0;
        int keepAlives = 0;
        for (Frame frame : frames) {
            if (!frame.isText()) {
                audio++;
            } else if (audio == audioFrames && frame.text().contains("KeepAlive")) {
                keepAlives++;
            }
        }
        return keepAlives;
    }

    @Test
    void deliversResultsAndEventsOnTheCallTimeline() throws Exception {
        DeepgramStream stream = open();
        Connection c = server.nextConnection();
        stream.sendAudio(frames(0, 100));
        // Deepgram answers only audio it has received, and the client sends audio only once it has the socket.
        c.awaitAudio(100 * FRAME);

        c.send("{\"type\":\"SpeechStarted\",\"channel\":[0],\"timestamp\":0.42}");
        c.send("{\"type\":\"Results\",\"channel_index\":[0,1],\"start\":0.0,\"duration\":1.2,\"is_final\":false,"
                + "\"speech_final\":false,\"channel\":{\"alternatives\":[{\"transcript\":\"hello\",\"confidence\":0.9,"
                + "\"words\":[{\"word\":\"hello\",\"start\":0.5,\"end\":0.9,\"confidence\":0.9}]}]}}");
        c.send("{\"type\":\"Results\",\"channel_index\":[0,1],\"start\":0.0,\"duration\":1.8,\"is_final\":true,"
                + "\"speech_final\":true,\"from_finalize\":false,\"channel\":{\"alternatives\":[{\"transcript\":"
                + "\"Hello, there.\",\"confidence\":0.95,\"words\":[{\"word\":\"hello\",\"punctuated_word\":\"Hello,\","
                + "\"start\":0.5,\"end\":0.9,\"confidence\":0.97},{\"word\":\"there\",\"punctuated_word\":\"there.\","
                + "\"start\":0.95,\"end\":1.4,\"confidence\":0.93}]}]}}");
        c.send("{\"type\":\"UtteranceEnd\",\"channel\":[0,1],\"last_word_end\":1.4}");
        listener.await(l -> l.events().size() == 4, "four events");

        assertThat(listener.events()).containsExactly(
                new RecordingListener.SpeechStarted(0.42),
                new RecordingListener.Heard(new Transcript("hello", false, false, false, 0.0, 1.2,
                        List.of(new Word("hello", 0.5, 0.9, 0.9)))),
                new RecordingListener.Heard(new Transcript("Hello, there.", true, true, false, 0.0, 1.8,
                        List.of(new Word("Hello,", 0.5, 0.9, 0.97), new Word("there.", 0.95, 1.4, 0.93)))),
                new RecordingListener.UtteranceEnd(1.4));
        stream.close();
    }

    @Test
    void anErrorMessageIsReportedAndTheStreamGoesOn() throws Exception {
        DeepgramStream stream = open();
        Connection c = server.nextConnection();
        stream.sendAudio(frame(0));
        c.awaitAudio(FRAME);

        c.send("{\"type\":\"Error\",\"description\":\"Something broke upstream.\",\"message\":\"internal\","
                + "\"variant\":\"x\"}");
        listener.await(l -> !l.problems().isEmpty(), "the error to be reported");
        stream.sendAudio(frame(1));

        c.awaitAudio(2 * FRAME);
        assertThat(listener.problems()).containsExactly("Deepgram reported an error: Something broke upstream.");
        assertThat(c.audio()).isEqualTo(frames(0, 2));
        assertThat(server.noFurtherConnection(Duration.ofMillis(300))).isTrue();
        stream.close();
    }

    @Test
    void aDropMidCallReconnectsAndResendsEverythingSinceTheLastFinal() throws Exception {
        DeepgramStream stream = open();
        Connection first = server.nextConnection();
        for (int n = 0; n < 100; n++) {
            stream.sendAudio(frame(n));
        }
        first.awaitAudio(100 * FRAME);
        // Deepgram finalised the first second (50 frames): only what follows is still unconfirmed.
        first.send(result(0.0, 1.0, true, "one", 0.2, 0.6));
        listener.await(l -> l.finals().size() == 1, "the first final");
        first.close(1011, "NET-0000");
        for (int n = 100; n < 125; n++) {
            stream.sendAudio(frame(n));
        }

        Connection second = server.nextConnection();
        second.awaitAudio(75 * FRAME);
        assertThat(second.audio()).isEqualTo(frames(50, 125));
        assertThat(second.query).isEqualTo(first.query);
        // The new connection's clock starts at the call's 1.0 s.
        second.send(result(0.2, 0.5, true, "two", 0.3, 0.6));
        second.send("{\"type\":\"UtteranceEnd\",\"channel\":[0,1],\"last_word_end\":0.6}");
        listener.await(l -> l.finals().size() == 2 && l.events().size() == 4, "the second final");

        Transcript two = listener.finals().get(1);
        assertThat(two.text()).isEqualTo("two");
        assertThat(two.start()).isCloseTo(1.2, within(1e-9));
        assertThat(two.words().get(0).start()).isCloseTo(1.3, within(1e-9));
        assertThat(two.words().get(0).end()).isCloseTo(1.6, within(1e-9));
        assertThat(listener.events().get(3)).isEqualTo(new RecordingListener.UtteranceEnd(1.6));
        assertThat(listener.problems()).singleElement().asString().contains("1011").contains("NET-0000");

        // Another drop before any further final: the audio since 1.7 s is resent.
        second.close(1011, "NET-0000");
        Connection third = server.nextConnection();
        third.awaitAudio((125 - 85) * FRAME);
        assertThat(third.audio()).isEqualTo(frames(85, 125));
        stream.close();
    }

    @Test
    void aFinalizeNotYetAnsweredIsRepeatedAfterTheResentAudio() throws Exception {
        DeepgramStream stream = open();
        Connection first = server.nextConnection();
        stream.sendAudio(frames(0, 10));
        stream.finalizeUtterance();
        first.awaitText("Finalize");
        first.close(1011, "NET-0000");

        Connection second = server.nextConnection();
        second.awaitText("Finalize");
        assertThat(second.frames()).hasSize(2);
        assertThat(second.frames().get(0).audio()).isEqualTo(frames(0, 10));
        second.send(result(0.0, 0.2, true, "", 0, 0).replace("\"is_final\":true", "\"is_final\":true,"
                + "\"from_finalize\":true"));
        listener.await(l -> l.finals().size() == 1, "the answer to Finalize");
        assertThat(listener.finals().get(0).fromFinalize()).isTrue();

        second.close(1011, "NET-0000");
        Connection third = server.nextConnection();
        Thread.sleep(200);
        assertThat(third.frames()).as("answered: nothing to repeat").isEmpty();
        stream.close();
    }

    @Test
    void aFinalizeDeepgramNeverAnswersIsAskedAgainOnAFreshConnection() throws Exception {
        DeepgramStream stream = open(settings(server.url(), Duration.ofMillis(200), Duration.ofMillis(300)), Map.of());
        Connection hung = server.nextConnection();
        stream.sendAudio(frames(0, 10));
        stream.finalizeUtterance();
        hung.awaitText("Finalize");

        Connection fresh = server.nextConnection();
        fresh.awaitText("Finalize");
        assertThat(fresh.audio()).as("the audio not yet recognised, sent again").isEqualTo(frames(0, 10));
        assertThat(listener.problems()).anyMatch(problem -> problem.contains("did not answer Finalize"));
        stream.close();
    }

    /** A stream whose server, once the socket is open (its first frame arrived), reads nothing more. */
    private DeepgramStream openAndHang(Duration keepAliveEvery, Duration sendTimeout) throws InterruptedException {
        DeepgramStream stream = open(settings(server.url(), keepAliveEvery, Duration.ofSeconds(2), sendTimeout),
                Map.of());
        Connection hung = server.nextConnection();
        stream.sendAudio(frame(0));
        hung.awaitAudio(FRAME);
        hung.stopReading();
        return stream;
    }

    private void sendUntilAProblem(DeepgramStream stream, int chunkBytes, int maxSends) {
        byte[] chunk = new byte[chunkBytes];
        for (int n = 0; n < maxSends && listener.problems().isEmpty(); n++) {
            stream.sendAudio(chunk);
        }
    }

    @Test
    void aServerThatStopsReadingIsLeftOnceTheUnsentAudioReachesItsBound() throws Exception {
        // A send timeout far beyond the test, so that only the bound on unsent frames can notice the hang.
        DeepgramStream stream = openAndHang(Duration.ofSeconds(4), Duration.ofMinutes(10));

        // Loopback buffers hold some MiB: past them every send waits, and the bound is on waiting sends.
        sendUntilAProblem(stream, 32 * 1024, 4096);

        assertThat(listener.problems().get(0))
                .contains("has not taken the last " + DeepgramStream.MAX_UNSENT_FRAMES + " frames");
        Connection fresh = server.nextConnection();
        stream.sendAudio(frame(1));
        fresh.await(c -> c.audio().length > 0 && Arrays.equals(Arrays.copyOfRange(c.audio(),
                c.audio().length - FRAME, c.audio().length), frame(1)), "new audio on the fresh connection");
        stream.close();
    }

    @Test
    void aSendThatNeverCompletesIsNoticedWithinTheSendTimeout() throws Exception {
        DeepgramStream stream = openAndHang(Duration.ofMillis(200), Duration.ofMillis(300));

        // 64 MB in 80 sends: more than loopback buffers hold, in fewer sends than the bound on waiting sends.
        sendUntilAProblem(stream, 800 * 1024, 80);

        listener.await(l -> !l.problems().isEmpty(), "the stuck send to be noticed", 10);
        assertThat(listener.problems().get(0)).contains("a send to Deepgram took longer than 300 ms");
        server.nextConnection();
        stream.close();
    }

    @Test
    void aSlowHandshakeNeverHoldsUpTheCaller() throws Exception {
        server.holdHandshakes();
        DeepgramStream stream = open();

        CompletableFuture<Void> caller = CompletableFuture.runAsync(() -> {
            for (int n = 0; n < 30; n++) {
                stream.sendAudio(frame(n));
                if (n == 10) {
                    stream.finalizeUtterance();
                }
            }
        });
        assertThat(caller).as("every frame handed over while Deepgram has not yet answered the handshake")
                .succeedsWithin(Duration.ofSeconds(10));
        server.releaseHandshakes();
        Connection c = server.nextConnection();
        c.awaitAudio(30 * FRAME);

        assertThat(c.audio()).isEqualTo(frames(0, 30));
        assertThat(c.frames().get(11).text()).isEqualTo("{\"type\":\"Finalize\"}");
        stream.close();
    }

    @Test
    void garbageFromTheServerIsReportedOrIgnoredAndNeverStopsTheStream() throws Exception {
        DeepgramStream stream = open();
        Connection c = server.nextConnection();
        stream.sendAudio(frame(0));

        c.send("this is not JSON");
        c.send("{\"type\":\"Mystery\",\"value\":1}");
        c.send("[1,2,3]");
        c.sendBinary(new byte[] {1, 2, 3});
        c.send("{\"type\":\"Results\"}");
        c.send(result(0.0, 0.5, false, "still here", 0.1, 0.4));
        listener.await(l -> l.transcripts().size() == 2, "both results");
        stream.sendAudio(frame(1));

        c.awaitAudio(2 * FRAME);
        assertThat(listener.problems()).singleElement().asString().startsWith("unreadable message from Deepgram");
        assertThat(listener.transcripts().get(0).text()).isEmpty();
        assertThat(listener.transcripts().get(1).text()).isEqualTo("still here");
        assertThat(server.noFurtherConnection(Duration.ofMillis(300))).isTrue();
        stream.close();
    }

    @Test
    void aRefusedHandshakeIsReportedAndRetried() throws Exception {
        server.refuseHandshakes(2);
        DeepgramStream stream = open();
        stream.sendAudio(frames(0, 5));

        Connection c = server.nextConnection();
        c.awaitAudio(5 * FRAME);

        assertThat(server.handshakes()).isEqualTo(3);
        assertThat(listener.problems()).containsExactly(
                "could not connect to Deepgram: HTTP 400 (Bad Request: scripted refusal)",
                "could not connect to Deepgram: HTTP 400 (Bad Request: scripted refusal)");
        assertThat(c.audio()).isEqualTo(frames(0, 5));
        stream.close();
    }

    @Test
    void aServerThatNeverClosesIsLeftAfterTheCloseTimeout() throws Exception {
        DeepgramStream stream = open(settings(server.url(), Duration.ofSeconds(4), Duration.ofMillis(300)), Map.of());
        Connection c = server.nextConnection();
        stream.sendAudio(frame(0));
        long began = System.nanoTime();
        stream.close();

        stream.whenClosed().get(5, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isBetween(Duration.ofMillis(250),
                Duration.ofMillis(1500));
        assertThat(listener.problems()).singleElement().asString().contains("did not close");
        c.awaitClosed();
        assertThat(c.texts()).containsExactly("{\"type\":\"CloseStream\"}");
    }

    @Test
    void resultsCloseTheStreamOnlyAfterTheyArrive() throws Exception {
        DeepgramStream stream = open();
        Connection c = server.nextConnection();
        stream.sendAudio(frames(0, 20));
        stream.close();
        c.awaitText("CloseStream");
        c.send(result(0.0, 0.4, true, "last words", 0.1, 0.3));
        c.send("{\"type\":\"Metadata\",\"request_id\":\"r1\",\"duration\":0.4,\"channels\":1}");
        c.close(1000, "");

        stream.whenClosed().get(5, TimeUnit.SECONDS);
        assertThat(listener.finals()).extracting(Transcript::text).containsExactly("last words");
        assertThat(listener.problems()).isEmpty();
        assertThat(Arrays.equals(c.audio(), frames(0, 20))).isTrue();
    }

    /** A one-word Results message; times are the connection's own. */
    private static String result(double start, double duration, boolean isFinal, String word, double from, double to) {
        String words = word.isEmpty() ? "" : "{\"word\":\"" + word + "\",\"start\":" + from + ",\"end\":" + to
                + ",\"confidence\":0.9}";
        return "{\"type\":\"Results\",\"channel_index\":[0,1],\"start\":" + start + ",\"duration\":" + duration
                + ",\"is_final\":" + isFinal + ",\"speech_final\":" + isFinal + ",\"channel\":{\"alternatives\":"
                + "[{\"transcript\":\"" + word + "\",\"confidence\":0.9,\"words\":[" + words + "]}]}}";
    }
}
