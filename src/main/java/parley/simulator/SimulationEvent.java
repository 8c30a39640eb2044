package parley.simulator;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Something that happened during a simulated call, stamped in milliseconds since the stream started
 * (on the media timeline: tick {@code k} is at {@code 20 * k} ms, so times line up with the recording).
 */
public sealed interface SimulationEvent {

    long atMs();

    /** The event's name in reports, for example {@code agent_audio_start}. */
    String type();

    /** The agent's playout went from silence to audio. */
    record AgentAudioStart(long atMs) implements SimulationEvent {
        @Override
        public String type() {
            return "agent_audio_start";
        }
    }

    /** The agent's playout ran dry, was cleared, or the call ended while it played. */
    record AgentAudioStop(long atMs) implements SimulationEvent {
        @Override
        public String type() {
            return "agent_audio_stop";
        }
    }

    /** The agent queued a mark behind its audio. */
    record MarkReceived(long atMs, String name) implements SimulationEvent {
        @Override
        public String type() {
            return "mark_received";
        }
    }

    /**
     * A mark went back to the agent: after its audio was played, or, when {@code cleared}, because a clear
     * dropped the audio before it (so that audio was never heard).
     */
    record MarkEchoed(long atMs, String name, boolean cleared) implements SimulationEvent {
        @Override
        public String type() {
            return "mark_echoed";
        }
    }

    /** The agent cleared its playout, dropping {@code droppedMs} of unplayed audio and {@code pendingMarks} marks. */
    record Clear(long atMs, long droppedMs, int pendingMarks) implements SimulationEvent {
        @Override
        public String type() {
            return "clear";
        }
    }

    /** The caller began a line; {@code line} is its text, file or label. */
    record CallerSpeechStart(long atMs, String line) implements SimulationEvent {
        @Override
        public String type() {
            return "caller_speech_start";
        }
    }

    /** The caller's line ended, or was cut off by the end of the call. */
    record CallerSpeechStop(long atMs, String line) implements SimulationEvent {
        @Override
        public String type() {
            return "caller_speech_stop";
        }
    }

    record Dtmf(long atMs, char digit) implements SimulationEvent {
        @Override
        public String type() {
            return "dtmf";
        }
    }

    /** The caller sent {@code stop}. */
    record Hangup(long atMs, HangupReason reason) implements SimulationEvent {
        @Override
        public String type() {
            return "hangup";
        }
    }

    /** The WebSocket closed with {@code code}; 1006 when it ended without a close handshake. */
    record Closed(long atMs, int code, String reason, ClosedBy by) implements SimulationEvent {
        @Override
        public String type() {
            return "closed";
        }
    }

    enum HangupReason {
        /** Every line was spoken and the agent stayed silent for the idle hang-up time. */
        IDLE,
        /** The call reached its maximum duration. */
        MAX_DURATION;

        /** The name used in reports and summaries. */
        @JsonValue
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Who ended the WebSocket. */
    enum ClosedBy {
        /** The agent closed it first, without the caller having hung up. */
        AGENT,
        /** The caller hung up (sent {@code stop}) and then the socket closed, as when Twilio ends a call. */
        CALLER,
        /** It failed with no close handshake (network error, or the agent stopped reading). */
        BROKEN;

        /** The name used in reports and summaries. */
        @JsonValue
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
