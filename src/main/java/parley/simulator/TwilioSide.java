package parley.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import parley.audio.MuLaw;
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

/**
 * Twilio's side of one media stream, advanced one 20 ms tick at a time.
 *
 * <p>It knows nothing of sockets or clocks: the caller of {@link #tick} hands in what arrived since the
 * previous tick and sends what comes back, so the whole timeline is a pure function of the inputs and
 * every time it reports is a multiple of the tick on the media timeline.
 */
final class TwilioSide {

    static final int FRAME_BYTES = 160;
    /**
     * Custom parameters naming the caller's lines for the sandbox recognizer: sandbox-line-1, -2, ..., and
     * their lengths: sandbox-line-1-ms, ...
     */
    static final String SANDBOX_LINE = "sandbox-line-";
    static final long TICK_MS = 20;
    private static final int SAMPLES_PER_MS = 8;
    private static final int EXCERPT_CHARS = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the socket delivered, in arrival order. */
    sealed interface Inbound permits Text, Binary, SocketClosed, SocketFailed {}

    record Text(String json) implements Inbound {}

    record Binary(int length) implements Inbound {}

    record SocketClosed(int code, String reason) implements Inbound {}

    record SocketFailed(String message) implements Inbound {}

    /** A caller line with its audio already synthesized or loaded, so no tick waits for it. */
    record PreparedLine(String label, CallerLine.Start start, byte[] muLaw) {}

    private final SimulatedCall call;
    private final List<PreparedLine> lines;
    private final long idleHangupMs;
    private final long maxDurationMs;

    private long tick;
    private int sequenceNumber;
    private int chunk;
    private boolean ended;
    private boolean closed;
    private long durationMs;

    private final Playout playout = new Playout();
    private final List<String> marksPlayed = new ArrayList<>();
    private boolean agentPlaying;
    private int agentStarts;
    private long lastAgentStartMs;
    private long lastAgentStopMs;

    private int nextLine;
    private PreparedLine speaking;
    private int spokenBytes;
    private int agentStartsAtLineStart;
    private long lastLineEndMs;
    private int nextDtmf;

    private final PcmTrack callerTrack = new PcmTrack();
    private final PcmTrack agentTrack = new PcmTrack();
    private final List<SimulationEvent> events = new ArrayList<>();
    private final Map<String, Integer> received = new TreeMap<>();
    private final List<ProtocolViolation> violations = new ArrayList<>();

    TwilioSide(SimulatedCall call, List<PreparedLine> lines) {
        this.call = call;
        this.lines = List.copyOf(lines);
        this.idleHangupMs = call.idleHangup().toMillis();
        this.maxDurationMs = call.maxDuration().toMillis();
    }

    /** The messages that open the stream: {@code connected}, then {@code start}. Tick 0 follows at once. */
    List<String> begin() {
        ObjectNode connected = JSON.createObjectNode();
        connected.put("event", "connected").put("protocol", "Call").put("version", "1.0.0");

        ObjectNode start = message("start");
        ObjectNode body = start.putObject("start");
        body.put("accountSid", call.accountSid())
                .put("streamSid", call.streamSid())
                .put("callSid", call.callSid());
        body.putArray("tracks").add("inbound");
        body.putObject("mediaFormat").put("encoding", "audio/x-mulaw").put("sampleRate", 8000).put("channels", 1);
        ObjectNode parameters = body.putObject("customParameters");
        call.customParameters().forEach(parameters::put);
        // The sandbox recognizer cannot recognise speech; it is told the lines it will hear, in order, and how
        // long each one's audio is, so that it knows when a line has been said in full.
        int spoken = 0;
        for (int i = 0; i < call.lines().size(); i++) {
            String words = call.lines().get(i).source().words();
            if (words != null) {
                spoken++;
                parameters.put(SANDBOX_LINE + spoken, words);
                long lengthMs = lines.get(i).muLaw().length / SAMPLES_PER_MS;
                parameters.put(SANDBOX_LINE + spoken + "-ms", String.valueOf(lengthMs));
            }
        }
        return List.of(connected.toString(), start.toString());
    }

    /**
     * Runs one tick: echoes marks whose audio finished in the previous tick, takes in what the agent sent,
     * then either hangs up or sends one caller frame and plays one agent frame.
     *
     * @return the messages to send, in order
     */
    List<String> tick(List<Inbound> inbound) {
        long t = tick * TICK_MS;
        List<String> out = new ArrayList<>();
        for (String name : marksPlayed) {
            echoMark(out, t, name, false);
        }
        marksPlayed.clear();
        for (Inbound in : inbound) {
            if (in instanceof SocketClosed c) {
                closed(c.code(), c.reason(), ClosedBy.AGENT, t);
                return List.of();
            }
            if (in instanceof SocketFailed f) {
                closed(1006, f.message(), ClosedBy.BROKEN, t);
                return List.of();
            }
            receive(in, t, out);
        }
        // A mark sent while nothing is queued in front of it has, by definition, had all its audio played.
        for (String name : playout.takeReachedMarks()) {
            echoMark(out, t, name, false);
        }

        if (t >= maxDurationMs) {
            hangUp(out, t, HangupReason.MAX_DURATION);
        } else if (scriptDone() && agentSilent() && t - Math.max(lastAgentStopMs, lastLineEndMs) >= idleHangupMs) {
            hangUp(out, t, HangupReason.IDLE);
        } else {
            speak(out, t);
            play(t);
        }
        tick++;
        return out;
    }

    /** True once the caller has hung up or the socket has closed: no more ticks are due. */
    boolean isOver() {
        return ended;
    }

    boolean isClosed() {
        return closed;
    }

    /** Records the end of the socket; if the call was still going, it ends here. */
    void closed(int code, String reason, ClosedBy by, long atMs) {
        if (!ended) {
            endCall();
        }
        closed = true;
        events.add(new Closed(Math.max(atMs, durationMs), code, reason, by));
    }

    SimulationResult result() {
        return new SimulationResult(call, durationMs,
                callerTrack.toArray(), agentTrack.toArray(), events, received, violations);
    }

    private void receive(Inbound in, long t, List<String> out) {
        if (in instanceof Binary b) {
            violation(t, "binary frame of " + b.length() + " bytes: Twilio only reads JSON text frames", "");
            return;
        }
        String text = ((Text) in).json();
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (IOException e) {
            violation(t, "not JSON", text);
            return;
        }
        if (message == null || !message.path("event").isTextual()) {
            violation(t, "no event name", text);
            return;
        }
        String event = message.get("event").asText();
        received.merge(event, 1, Integer::sum);
        if (!event.equals("media") && !event.equals("mark") && !event.equals("clear")) {
            violation(t, "unknown event '" + event + "'", text);
            return;
        }
        JsonNode streamSid = message.path("streamSid");
        if (!streamSid.isTextual()) {
            violation(t, event + " without a streamSid", text);
            return;
        }
        if (!streamSid.asText().equals(call.streamSid())) {
            violation(t, event + " for unknown streamSid " + streamSid.asText(), text);
            return;
        }
        switch (event) {
            case "media" -> receiveMedia(message, t, text);
            case "mark" -> receiveMark(message, t, text);
            default -> receiveClear(t, out);
        }
    }

    private void receiveMedia(JsonNode message, long t, String text) {
        JsonNode payload = message.path("media").path("payload");
        if (!payload.isTextual()) {
            violation(t, "media without a payload", text);
            return;
        }
        try {
            playout.append(Base64.getDecoder().decode(payload.asText()));
        } catch (IllegalArgumentException e) {
            violation(t, "media payload is not valid base64", text);
        }
    }

    private void receiveMark(JsonNode message, long t, String text) {
        JsonNode name = message.path("mark").path("name");
        if (!name.isTextual() || name.asText().isEmpty()) {
            violation(t, "mark without a name", text);
            return;
        }
        events.add(new MarkReceived(t, name.asText()));
        playout.mark(name.asText());
    }

    private void receiveClear(long t, List<String> out) {
        long droppedMs = playout.bufferedBytes() / SAMPLES_PER_MS;
        List<String> pending = playout.clear();
        events.add(new Clear(t, droppedMs, pending.size()));
        for (String name : pending) {
            echoMark(out, t, name, true);
        }
    }

    private void speak(List<String> out, long t) {
        if (speaking == null && nextLine < lines.size() && ready(lines.get(nextLine), t)) {
            speaking = lines.get(nextLine++);
            spokenBytes = 0;
            agentStartsAtLineStart = agentStarts;
            events.add(new CallerSpeechStart(t, speaking.label()));
        }
        // Twilio streams the caller continuously: a quiet caller is still a frame of mu-law silence.
        byte[] frame = new byte[FRAME_BYTES];
        Arrays.fill(frame, MuLaw.SILENCE);
        if (speaking != null) {
            int n = Math.min(FRAME_BYTES, speaking.muLaw().length - spokenBytes);
            System.arraycopy(speaking.muLaw(), spokenBytes, frame, 0, n);
            spokenBytes += n;
            if (spokenBytes == speaking.muLaw().length) {
                lastLineEndMs = t + n / SAMPLES_PER_MS;
                events.add(new CallerSpeechStop(lastLineEndMs, speaking.label()));
                speaking = null;
            }
        }
        if (call.echo() != null) {
            addEcho(frame, t);
        }
        chunk++;
        ObjectNode media = message("media");
        media.putObject("media")
                .put("track", "inbound")
                .put("chunk", Integer.toString(chunk))
                .put("timestamp", Long.toString(t))
                .put("payload", Base64.getEncoder().encodeToString(frame));
        out.add(media.toString());
        callerTrack.append(MuLaw.decode(frame));

        while (nextDtmf < call.dtmf().size() && call.dtmf().get(nextDtmf).atMs() <= t) {
            char digit = call.dtmf().get(nextDtmf++).digit();
            ObjectNode dtmf = message("dtmf");
            dtmf.putObject("dtmf").put("track", "inbound_track").put("digit", String.valueOf(digit));
            out.add(dtmf.toString());
            events.add(new Dtmf(t, digit));
        }
    }

    /** Mixes into the caller's frame what the agent played {@code echo.delay} before it, that much quieter. */
    private void addEcho(byte[] frame, long t) {
        long from = (t - call.echo().delay().toMillis()) * SAMPLES_PER_MS;
        double gain = call.echo().gain();
        for (int i = 0; i < frame.length; i++) {
            long at = from + i;
            if (at >= 0 && at < agentTrack.size()) {
                int mixed = (int) Math.round(MuLaw.decode(frame[i]) + gain * agentTrack.at((int) at));
                frame[i] = MuLaw.encode((short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, mixed)));
            }
        }
    }

    private boolean ready(PreparedLine line, long t) {
        if (line.start() instanceof CallerLine.At at) {
            return t >= at.ms();
        }
        if (line.start() instanceof CallerLine.AfterPause pause) {
            return t - lastLineEndMs >= pause.gapMs();
        }
        if (line.start() instanceof CallerLine.IntoAgent into) {
            return agentStarts > agentStartsAtLineStart && agentPlaying && t - lastAgentStartMs >= into.ms();
        }
        long gapMs = ((CallerLine.AfterAgent) line.start()).gapMs();
        // Waiting for a new agent start (not just silence) is what makes this a turn: the caller answers
        // the agent's reply rather than filling the pause while the agent is still thinking.
        return agentStarts > agentStartsAtLineStart
                && agentSilent()
                && t - Math.max(lastAgentStopMs, lastLineEndMs) >= gapMs;
    }

    private boolean agentSilent() {
        return !agentPlaying && !playout.hasAudio();
    }

    private boolean scriptDone() {
        return speaking == null && nextLine == lines.size() && nextDtmf == call.dtmf().size();
    }

    private void play(long t) {
        byte[] frame = new byte[FRAME_BYTES];
        int played = playout.play(frame, marksPlayed);
        if (played > 0 && !agentPlaying) {
            agentPlaying = true;
            agentStarts++;
            lastAgentStartMs = t;
            events.add(new AgentAudioStart(t));
        }
        // A short frame means the buffer ran dry; a full frame that emptied it is only known to be the end
        // when the next tick finds nothing, so audio that keeps arriving just in time counts as one stretch.
        if (played < FRAME_BYTES && agentPlaying) {
            agentPlaying = false;
            lastAgentStopMs = t + played / SAMPLES_PER_MS;
            events.add(new AgentAudioStop(lastAgentStopMs));
        }
        agentTrack.append(MuLaw.decode(frame));
    }

    private void hangUp(List<String> out, long t, HangupReason reason) {
        endCall();
        ObjectNode stop = message("stop");
        stop.putObject("stop").put("accountSid", call.accountSid()).put("callSid", call.callSid());
        out.add(stop.toString());
        events.add(new Hangup(t, reason));
    }

    /**
     * Ends the call at the current tick, where the recording ends too, and closes whatever is still under
     * way so every start event has its stop.
     */
    private void endCall() {
        ended = true;
        durationMs = tick * TICK_MS;
        if (speaking != null) {
            events.add(new CallerSpeechStop(durationMs, speaking.label()));
            speaking = null;
        }
        if (agentPlaying) {
            events.add(new AgentAudioStop(durationMs));
            agentPlaying = false;
        }
    }

    private void echoMark(List<String> out, long t, String name, boolean cleared) {
        ObjectNode mark = message("mark");
        mark.putObject("mark").put("name", name);
        out.add(mark.toString());
        events.add(new MarkEchoed(t, name, cleared));
    }

    /** Every message after {@code connected} carries the stream and the next sequence number, as strings. */
    private ObjectNode message(String event) {
        ObjectNode node = JSON.createObjectNode();
        node.put("event", event)
                .put("sequenceNumber", Integer.toString(++sequenceNumber))
                .put("streamSid", call.streamSid());
        return node;
    }

    private void violation(long t, String problem, String message) {
        String excerpt = message.length() > EXCERPT_CHARS ? message.substring(0, EXCERPT_CHARS) + "..." : message;
        violations.add(new ProtocolViolation(t, problem, excerpt));
    }

    /** A growable 16-bit track; a minute of 8 kHz audio is under a megabyte. */
    private static final class PcmTrack {
        private short[] samples = new short[8000];
        private int size;

        void append(short[] pcm) {
            if (size + pcm.length > samples.length) {
                samples = Arrays.copyOf(samples, Math.max(samples.length * 2, size + pcm.length));
            }
            System.arraycopy(pcm, 0, samples, size, pcm.length);
            size += pcm.length;
        }

        short[] toArray() {
            return Arrays.copyOf(samples, size);
        }

        int size() {
            return size;
        }

        short at(int index) {
            return samples[index];
        }
    }
}
