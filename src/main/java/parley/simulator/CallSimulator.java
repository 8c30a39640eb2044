package parley.simulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import parley.audio.MuLaw;
import parley.audio.OfflineVoice;
import parley.audio.WavFiles;
import parley.simulator.TwilioSide.Inbound;
import parley.simulator.TwilioSide.PreparedLine;
import parley.simulator.SimulationEvent.ClosedBy;
import parley.telephony.TwilioSignatures;

/**
 * Places simulated calls: dials a Media Streams WebSocket exactly as Twilio does and plays the caller's
 * part in real time.
 *
 * <p>One instance can run many calls, one after another or at once; it keeps the offline voice warm
 * between them, so close it when done.
 */
public final class CallSimulator implements AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Twilio would drop a stream whose server stops reading; a send this slow means the same. */
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(5);
    /** How long to wait for the agent to answer the caller's close before giving up on the handshake. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);
    private static final String SIMULATED_CALLER = "+15550100000";
    private static final String SIMULATED_NUMBER = "+15550199999";
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(TwilioSide.TICK_MS);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    private OfflineVoice voice;

    /**
     * Runs one call to its end and returns what happened; blocks for about the length of the call, never
     * much longer than its maximum duration. Everything the agent gets wrong is recorded in the result,
     * not thrown.
     *
     * @throws IOException if the stream cannot be opened, a WAV line cannot be read, or an output cannot be written
     * @throws InterruptedException if interrupted; the socket is dropped without a {@code stop}
     */
    public SimulationResult run(SimulatedCall call) throws IOException, InterruptedException {
        return runAnswered(call.authToken() != null ? call.withParametersFirst(askTheVoiceWebhook(call)) : call);
    }

    /**
     * Runs a call whose voice webhook was already asked (a call Parley placed, answered by its lead): the stream
     * is opened at once with the call's own parameters. Otherwise as {@link #run}.
     */
    public SimulationResult runAnswered(SimulatedCall call) throws IOException, InterruptedException {
        TwilioSide twilio = new TwilioSide(call, prepare(call.lines()));
        BlockingQueue<Inbound> inbound = new LinkedBlockingQueue<>();
        WebSocket socket = connect(call, inbound);
        try {
            converse(socket, twilio, inbound);
        } catch (InterruptedException e) {
            socket.abort();
            throw e;
        }
        SimulationResult result = twilio.result();
        if (call.recording() != null) {
            WavFiles.writeStereo8k(call.recording(), result.callerPcm(), result.agentPcm());
        }
        if (call.report() != null) {
            Report.write(result, call.report());
        }
        return result;
    }

    @Override
    public synchronized void close() {
        if (voice != null) {
            voice.close();
            voice = null;
        }
    }

    /**
     * The tick loop. Each tick sleeps to an absolute deadline, so a late wake-up is made up by the next
     * ticks instead of shifting the rest of the call, and audio and timestamps stay on the 20 ms grid.
     */
    private void converse(WebSocket socket, TwilioSide twilio, BlockingQueue<Inbound> inbound)
            throws InterruptedException {
        if (!sendAll(socket, twilio, inbound, twilio.begin(), 0)) {
            return;
        }
        long base = System.nanoTime();
        for (long k = 0; !twilio.isOver(); k++) {
            sleepUntil(base + k * TICK_NANOS);
            List<Inbound> arrived = new ArrayList<>();
            inbound.drainTo(arrived);
            if (!sendAll(socket, twilio, inbound, twilio.tick(arrived), elapsedMs(base))) {
                return;
            }
        }
        if (twilio.isClosed()) {
            return;
        }
        // Hung up: Twilio sends stop and then closes the socket itself.
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // The agent may have closed first on seeing stop; its close is then waiting in the queue, and if
            // nothing is, the wait below ends the socket all the same.
        }
        long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
        while (!twilio.isClosed()) {
            Inbound in = inbound.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (in == null) {
                socket.abort();
                twilio.closed(1006, "the agent did not answer the close within " + CLOSE_TIMEOUT.toMillis() + " ms",
                        ClosedBy.CALLER, elapsedMs(base));
            } else if (in instanceof TwilioSide.SocketClosed c) {
                twilio.closed(c.code(), c.reason(), ClosedBy.CALLER, elapsedMs(base));
            } else if (in instanceof TwilioSide.SocketFailed f) {
                twilio.closed(1006, f.message(), ClosedBy.BROKEN, elapsedMs(base));
            }
        }
    }

    /**
     * Sends in order, each message only after the previous one went out (the JDK client allows one send
     * in flight). Returns false, with the twilio closed, if the socket broke.
     */
    private static boolean sendAll(WebSocket socket, TwilioSide twilio, BlockingQueue<Inbound> inbound,
            List<String> messages, long atMs) throws InterruptedException {
        for (String message : messages) {
            try {
                socket.sendText(message, true).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                socket.abort();
                // The client queues the agent's close before it shuts its own output, so if a send failed
                // because the agent had just closed, that close is waiting here and tells the real story.
                List<Inbound> arrived = new ArrayList<>();
                inbound.drainTo(arrived);
                TwilioSide.SocketClosed agentClose = arrived.stream()
                        .filter(TwilioSide.SocketClosed.class::isInstance).map(TwilioSide.SocketClosed.class::cast)
                        .findFirst().orElse(null);
                if (agentClose != null) {
                    twilio.closed(agentClose.code(), agentClose.reason(), ClosedBy.AGENT, atMs);
                } else {
                    twilio.closed(1006, "could not send: " + describe(e), ClosedBy.BROKEN, atMs);
                }
                return false;
            }
        }
        return true;
    }

    private static void sleepUntil(long deadlineNanos) throws InterruptedException {
        long wait;
        while ((wait = deadlineNanos - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private static long elapsedMs(long baseNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - baseNanos);
    }

    private static String describe(Exception e) {
        if (e instanceof TimeoutException) {
            return "the agent stopped reading for " + SEND_TIMEOUT.toMillis() + " ms";
        }
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    /** Synthesizes and loads every line before dialing, so the call's timing never waits for it. */
    private List<PreparedLine> prepare(List<CallerLine> lines) throws IOException {
        List<PreparedLine> prepared = new ArrayList<>();
        for (CallerLine line : lines) {
            short[] pcm;
            if (line.source() instanceof CallerLine.Text text) {
                pcm = voice().speakPcm8k(text.text());
            } else if (line.source() instanceof CallerLine.Wav wav) {
                pcm = readWav(wav.file());
            } else {
                pcm = ((CallerLine.Pcm) line.source()).samples();
            }
            prepared.add(new PreparedLine(line.source().label(), line.start(), MuLaw.encode(pcm)));
        }
        return prepared;
    }

    /** WavFiles rejects an unusable file with IllegalArgumentException; to a caller it is a bad input file. */
    private static short[] readWav(Path file) throws IOException {
        try {
            return WavFiles.readPcm8k(file);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** The simulator's own voice saying {@code text}, as 8 kHz samples. */
    public short[] speak(String text) {
        return voice().speakPcm8k(text);
    }

    private synchronized OfflineVoice voice() {
        if (voice == null) {
            voice = new OfflineVoice();
        }
        return voice;
    }

    private WebSocket connect(SimulatedCall call, BlockingQueue<Inbound> inbound) throws IOException,
            InterruptedException {
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT);
        if (call.authToken() != null) {
            builder.header("X-Twilio-Signature", TwilioSignatures.sign(call.authToken(), call.url().toString(), Map.of()));
        }
        try {
            return builder.buildAsync(call.url(), new Listener(inbound)).get();
        } catch (ExecutionException e) {
            throw new IOException("could not open " + call.url() + ": " + describe(e), e.getCause());
        }
    }

    /**
     * As Twilio does before it opens a stream, with signatures on: posts the call to the voice webhook beside
     * the stream URL ({@code /twilio/voice}) and returns the {@code <Parameter>}s of the TwiML it answers, which
     * Twilio hands back in the stream's {@code start} (Parley's ticket for the call among them).
     */
    private Map<String, String> askTheVoiceWebhook(SimulatedCall call) throws IOException, InterruptedException {
        URI stream = call.url();
        String scheme = "wss".equalsIgnoreCase(stream.getScheme()) ? "https" : "http";
        URI webhook = URI.create(scheme + "://" + stream.getRawAuthority()
                + stream.getRawPath().replaceAll("/media$", "/voice"));
        Map<String, String> form = Map.of("CallSid", call.callSid(), "AccountSid", call.accountSid(),
                "From", SIMULATED_CALLER, "To", SIMULATED_NUMBER, "Direction", "inbound", "CallStatus", "ringing");
        HttpResponse<String> answer = TwilioWebhooks.post(http, webhook, form, call.authToken());
        if (answer.statusCode() != 200) {
            throw new IOException("the voice webhook " + webhook + " answered " + answer.statusCode());
        }
        return new TwilioWebhooks.Twiml(answer.body()).parameters();
    }

    /**
     * Runs on the client's threads: it only reassembles frames and queues them, so the tick thread sees
     * everything in arrival order and owns all the call state.
     */
    private static final class Listener implements WebSocket.Listener {
        private final BlockingQueue<Inbound> inbound;
        private final StringBuilder text = new StringBuilder();
        private int binaryBytes;

        Listener(BlockingQueue<Inbound> inbound) {
            this.inbound = inbound;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                inbound.add(new TwilioSide.Text(text.toString()));
                text.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
            binaryBytes += data.remaining();
            if (last) {
                inbound.add(new TwilioSide.Binary(binaryBytes));
                binaryBytes = 0;
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            inbound.add(new TwilioSide.SocketClosed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            String message = error.getMessage() != null ? error.getMessage() : error.getClass().getSimpleName();
            inbound.add(new TwilioSide.SocketFailed(message));
        }
    }
}
