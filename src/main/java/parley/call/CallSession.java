package parley.call;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.vertx.core.http.ServerWebSocket;
import parley.config.ParleyProperties;
import parley.conversation.AgentTurns;
import parley.conversation.ConversationHistory;
import parley.conversation.ModelTurn;
import parley.conversation.SalesScript;
import parley.conversation.TurnRecord;
import parley.hearing.TurnTiming;
import parley.hearing.CallerHearing;
import parley.hearing.SilenceWatch;
import parley.stt.RecognitionStream;
import parley.telephony.FrameProblem;
import parley.telephony.StreamCodec;
import parley.telephony.StreamEvent;

/**
 * Everything Parley holds for one call, from the socket opening to its close. Inbound work for a call runs
 * in order on its lane, so the fields written there need no locks; the playback has its own.
 */
public final class CallSession {

    public enum Phase { CONNECTED, STREAMING, ENDED }

    private static final int MAX_DIGITS = 32;

    private final String connectionKey;
    private final ServerWebSocket socket;
    private final SerialLane lane;
    private final AgentTurns agentTurns = new AgentTurns();
    private final SilenceWatch silence = new SilenceWatch();
    private final ConversationHistory history = new ConversationHistory(this::lineSaid, this::turnWithdrawn);
    private final ParleyProperties.Playback playbackSettings;
    private final CallLog log;
    private final long recordingMs;
    private final int[] rejections = new int[FrameProblem.values().length];
    private final List<String> digits = new ArrayList<>();

    private volatile Phase phase = Phase.CONNECTED;
    private volatile StreamEvent.Started stream;
    private volatile AgentPlayback playback;
    private volatile String endReason;
    private CallerHearing hearing;
    private volatile RecognitionStream recognition;
    private AgentPlayback.Heard lastCut;
    private String scriptState;
    private final Map<String, Object> slots = new LinkedHashMap<>();
    private volatile SalesScript.Outcome outcome;
    private volatile Map<String, Object> meeting;
    private final CallWatch watch;
    private volatile boolean ending;
    private volatile String endingBecause;
    private volatile String transferTo;
    private final List<TurnRecord> turns = new CopyOnWriteArrayList<>();
    private long callerFrames;
    private long callerAudioMs;
    private long lastChunk = -1;
    private long missingChunks;

    public CallSession(String connectionKey, ServerWebSocket socket, SerialLane lane,
                       ParleyProperties.Playback playbackSettings, Clock clock, long recordingMs,
                       CallWatch watch) {
        this.watch = watch;
        this.connectionKey = connectionKey;
        this.socket = socket;
        this.lane = lane;
        this.playbackSettings = playbackSettings;
        this.log = new CallLog(clock, watch);
        this.recordingMs = recordingMs;
    }

    /** Twilio's start event: from here on Parley knows the call, hears it and can speak on it. */
    public void start(StreamEvent.Started started, CallerHearing hearing) {
        this.hearing = hearing;
        log.answered(started.callSid(), recordingMs);
        StreamCodec.Writer writer = new StreamCodec.Writer(started.streamSid());
        AgentPlayback.Sink toTwilio = new SocketSink(socket, writer);
        CallRecording recording = log.recording();
        this.playback = new AgentPlayback(recording == null ? toTwilio : new RecordedSink(toTwilio, recording),
                playbackSettings.maxLead().toMillis(), playbackSettings.maxSpeedup(),
                playbackSettings.markEvery().toMillis());
        this.stream = started;
        this.phase = Phase.STREAMING;
        Map<String, String> parameters = started.customParameters();
        watch.live(new LiveEvent.Started(started.callSid(), parameters.getOrDefault("Direction", "inbound"),
                parameters.get("From"), parameters.get("To"), parameters.get("campaign")));
    }

    private void lineSaid(ConversationHistory.Entry entry) {
        StreamEvent.Started started = stream;
        if (started != null) {
            watch.live(new LiveEvent.Line(started.callSid(), entry.speaker().name().toLowerCase(Locale.ROOT),
                    entry.line(), entry.text(), entry.interrupted(), entry.startMs(), entry.endMs()));
        }
    }

    private void turnWithdrawn() {
        StreamEvent.Started started = stream;
        if (started != null) {
            watch.live(new LiveEvent.Withdrawn(started.callSid()));
        }
    }

    /**
     * Ends the call; idempotent, the first reason wins. The socket is left to the caller of this method:
     * after a stop Twilio closes it itself.
     */
    public boolean end(String reason) {
        synchronized (this) {
            if (phase == Phase.ENDED) {
                return false;
            }
            phase = Phase.ENDED;
            endReason = reason;
        }
        RecognitionStream listening = recognition;
        if (listening != null) {
            listening.close();
        }
        // Nothing more is said on an ended call: whatever a voice or a model is still producing is stopped.
        earlyAnswer(null);
        agentTurns.cancel();
        AgentPlayback speaking = playback;
        if (speaking != null) {
            speaking.close();
        }
        return true;
    }

    /** The call's speech recognition, open from the start event until the call ends. */
    public void listenWith(RecognitionStream stream) {
        this.recognition = stream;
    }

    public RecognitionStream recognition() {
        return recognition;
    }

    ServerWebSocket socket() {
        return socket;
    }

    /**
     * Counts a caller frame; returns how many frames are missing before it. Twilio numbers media messages by
     * {@code chunk}; its {@code sequenceNumber} counts every message, marks included, so it cannot tell.
     */
    public long hearFrame(StreamEvent.CallerAudio audio) {
        callerFrames++;
        callerAudioMs += audio.payload().length / 8;
        long missing = 0;
        if (lastChunk >= 0 && audio.chunk() > lastChunk + 1) {
            missing = audio.chunk() - lastChunk - 1;
            missingChunks += missing;
        }
        if (audio.chunk() >= 0) {
            lastChunk = audio.chunk();
        }
        CallRecording recording = log.recording();
        if (recording != null) {
            recording.caller(audio.payload(), missing, audio.payload().length);
        }
        return missing;
    }

    /** Keeps the latest digits only: what a script asks for is short, and a peer could press forever. */
    public void pressed(String digit) {
        if (digits.size() == MAX_DIGITS) {
            digits.remove(0);
        }
        digits.add(digit);
        log.note(CallEvent.Kind.KEY_PRESSED, digit);
    }

    /** Counts a rejected frame and returns how many of that kind this call has had, this one included. */
    public int rejected(FrameProblem problem, String detail) {
        log.note(CallEvent.Kind.FRAME_REJECTED, problem.tag() + ": " + detail);
        return ++rejections[problem.ordinal()];
    }

    public int rejections(FrameProblem problem) {
        return rejections[problem.ordinal()];
    }

    /** The call id for logs: Twilio's CallSid once known, the socket's key before. */
    public String callId() {
        StreamEvent.Started started = stream;
        return started != null ? started.callSid() : "socket " + connectionKey;
    }

    public String connectionKey() {
        return connectionKey;
    }

    public Phase phase() {
        return phase;
    }

    public boolean streaming() {
        return phase == Phase.STREAMING;
    }

    public StreamEvent.Started stream() {
        return stream;
    }

    public Map<String, String> parameters() {
        StreamEvent.Started started = stream;
        return started != null ? started.customParameters() : Map.of();
    }

    /** Where this call's work runs, in order. */
    public SerialLane lane() {
        return lane;
    }

    public CallerHearing hearing() {
        return hearing;
    }

    public SilenceWatch silence() {
        return silence;
    }

    public AgentTurns agentTurns() {
        return agentTurns;
    }

    public ConversationHistory history() {
        return history;
    }

    /**
     * Stops the agent at once: its turn and everything in flight for it is cancelled, Twilio drops what it had
     * buffered, and the history keeps the cut line only as far as the caller heard it. Returns the cut, or
     * null when the agent was silent.
     */
    public AgentPlayback.Heard stopAgent() {
        agentTurns.cancel();
        AgentPlayback.Heard cut = playback.clear();
        lastCut = cut;
        if (cut != null && !cut.complete()) {
            long nowMs = log.nowMs();
            history.agentCut(cut.heardText(), cut.text(), nowMs - cut.heardMs(), nowMs);
        }
        return cut;
    }

    /** The agent's line the caller last cut off, until it is said again or the caller takes the turn. */
    public AgentPlayback.Heard lastCut() {
        return lastCut;
    }

    public void lastCut(AgentPlayback.Heard cut) {
        this.lastCut = cut;
    }

    /** The script state the call is in: the one whose line the agent said last. */
    public String scriptState() {
        return scriptState;
    }

    public void scriptState(String state) {
        stayed = state.equals(scriptState) ? stayed + 1 : 0;
        this.scriptState = state;
    }

    /** How many of the caller's turns in a row have left the call in the state it is in. */
    public int stayed() {
        return stayed;
    }

    /** What the caller has told the agent so far, by slot name, in the order it was told. */
    public Map<String, Object> slots() {
        return EndedCall.ordered(slots);
    }

    public void slots(Map<String, Object> collected) {
        slots.putAll(collected);
    }

    /** How the call ended, once the script reached an outcome. */
    public SalesScript.Outcome outcome() {
        return outcome;
    }

    /** Where the script stood before an answer moved it: restored if the answer is withdrawn. */
    private record ScriptPosition(String state, int stayed, Map<String, Object> slots, SalesScript.Outcome outcome,
                                  Map<String, Object> meeting, boolean ending, String transferTo, int turns) {
    }

    private ScriptPosition beforeAnswer;
    private int stayed;
    private volatile ModelTurn earlyAnswer;

    /** The model's answer begun at the caller's pause, for the words heard so far; null if none. */
    public ModelTurn earlyAnswer() {
        return earlyAnswer;
    }

    /** Keeps an answer begun early, cancelling the one it replaces. */
    public void earlyAnswer(ModelTurn answer) {
        ModelTurn replaced = earlyAnswer;
        earlyAnswer = answer;
        if (replaced != null && replaced != answer) {
            replaced.cancel();
        }
    }

    /** The answer begun early, handed over to whoever answers the turn: it is no longer the call's to cancel. */
    public ModelTurn takeEarlyAnswer() {
        ModelTurn taken = earlyAnswer;
        earlyAnswer = null;
        return taken;
    }

    /** The caller's turn has ended and is about to be answered: where the script stands now is kept. */
    public void keepScriptPosition() {
        beforeAnswer = new ScriptPosition(scriptState, stayed, new LinkedHashMap<>(slots), outcome, meeting, ending,
                transferTo, turns.size());
    }

    /**
     * The caller went on right after their turn ended: its answer is withdrawn before the caller heard it
     * (the model's writing and the voice are cancelled, and what Twilio holds is dropped), the script goes back
     * to where it stood, and the history and the turns forget the turn, which is answered once it really ends;
     * the call's events keep what was withdrawn.
     */
    public void withdrawAnswer() {
        String withdrawn = "the caller went on";
        earlyAnswer(null);
        agentTurns.cancel();
        if (playback != null && playback.isSpeaking()) {
            playback.clear();
        }
        if (beforeAnswer != null) {
            scriptState = beforeAnswer.state();
            stayed = beforeAnswer.stayed();
            slots.clear();
            slots.putAll(beforeAnswer.slots());
            outcome = beforeAnswer.outcome();
            meeting = beforeAnswer.meeting();
            ending = beforeAnswer.ending();
            transferTo = beforeAnswer.transferTo();
            String forgotten = forgetTurnsAfter(beforeAnswer.turns());
            if (forgotten != null) {
                withdrawn = "the caller went on after \"" + forgotten + "\"";
            }
            beforeAnswer = null;
        }
        lastCut = null;
        history.reopenCallerTurn();
        log.note(CallEvent.Kind.ANSWER_WITHDRAWN, withdrawn);
    }

    /** The script reached an outcome: its closing line is the agent's last. */
    public void conclude(SalesScript.Outcome reached) {
        this.outcome = reached;
        this.endingBecause = "the script ended the call: " + reached;
        this.ending = true;
    }

    /** The script hands the call to a person: once this line is heard, the call is transferred. */
    public void transferAfterSpeaking(String number) {
        this.transferTo = number;
        this.ending = true;
    }

    /** The agent's next line is its last (a voicemail left): the call ends once it has been heard. */
    public void endAfterSpeaking(String because) {
        this.endingBecause = because;
        this.ending = true;
    }

    /** Why the call ends once the agent's current line is heard. */
    public String endingBecause() {
        return endingBecause;
    }

    /** True once the agent's current line is its last on the call. */
    public boolean ending() {
        return ending;
    }

    /** The number the call goes to when the agent's last line is heard, or null. */
    public String transferTo() {
        return transferTo;
    }

    /** How each caller turn was answered, in order. */
    public List<TurnRecord> turns() {
        return List.copyOf(turns);
    }

    /** Records a caller turn and returns its number on the call, for {@link #replyStarted}. */
    public int recordTurn(TurnRecord turn) {
        turns.add(turn);
        return turns.size() - 1;
    }

    /**
     * Drops the turns recorded after the first {@code kept}; returns what the earliest dropped one said, or
     * null. Under the lock {@link #replyStarted} takes: the playback clock may be timing one of them.
     */
    private synchronized String forgetTurnsAfter(int kept) {
        String said = null;
        while (turns.size() > kept) {
            said = turns.remove(turns.size() - 1).said();
        }
        return said;
    }

    /**
     * The first audio of the answer to turn {@code number} went to Twilio: the turn's timing is complete. An
     * answer withdrawn as its first audio went out has no turn left to time.
     */
    public synchronized void replyStarted(int number, TurnTiming timing) {
        watch.turn(stream == null ? null : stream.callSid(), number, timing);
        if (number < turns.size()) {
            turns.set(number, turns.get(number).timed(timing));
        }
    }

    /** The meeting booked on this call, with the slots it was booked with. */
    public Map<String, Object> meeting() {
        return meeting;
    }

    public void bookMeeting(Map<String, Object> details) {
        this.meeting = EndedCall.ordered(details);
    }

    /** When the call was opened and answered, what happened on it, who served it, its recording. */
    public CallLog log() {
        return log;
    }

    /** The agent's voice on this call; null until Twilio's start event. */
    public AgentPlayback playback() {
        return playback;
    }

    public String endReason() {
        return endReason;
    }

    public long callerFrames() {
        return callerFrames;
    }

    public long callerAudioMs() {
        return callerAudioMs;
    }

    public long missingFrames() {
        return missingChunks;
    }

    public List<String> digits() {
        return List.copyOf(digits);
    }

    public long ageMs() {
        return log.ageMs();
    }

    /** Keeps the agent's side of the recording as Twilio plays it: from when it is sent, cut by a clear. */
    private record RecordedSink(AgentPlayback.Sink sink, CallRecording recording) implements AgentPlayback.Sink {
        public void media(byte[] audio, int offset, int length) {
            recording.agent(audio, offset, length, System.nanoTime());
            sink.media(audio, offset, length);
        }

        public void mark(String name) {
            sink.mark(name);
        }

        public void clear() {
            recording.cut(System.nanoTime());
            sink.clear();
        }
    }

    /** Writes to the call's socket; Vert.x hands the write to the socket's event loop, so any thread may call. */
    private record SocketSink(ServerWebSocket socket, StreamCodec.Writer writer) implements AgentPlayback.Sink {
        public void media(byte[] audio, int offset, int length) {
            send(writer.media(audio, offset, length));
        }

        public void mark(String name) {
            send(writer.mark(name));
        }

        public void clear() {
            send(writer.clear());
        }

        private void send(String message) {
            if (!socket.isClosed()) {
                socket.writeTextMessage(message);
            }
        }
    }
}
