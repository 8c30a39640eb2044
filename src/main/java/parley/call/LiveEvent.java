package parley.call;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What operators watching calls are told as it happens, by whichever instance has the call. Small and
 * self-contained: each carries its call's sid, and the feed adds the instance.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = LiveEvent.Started.class, name = "started"),
        @JsonSubTypes.Type(value = LiveEvent.Line.class, name = "line"),
        @JsonSubTypes.Type(value = LiveEvent.Withdrawn.class, name = "withdrawn"),
        @JsonSubTypes.Type(value = LiveEvent.Turn.class, name = "turn"),
        @JsonSubTypes.Type(value = LiveEvent.Happened.class, name = "event"),
        @JsonSubTypes.Type(value = LiveEvent.Ended.class, name = "ended")})
public sealed interface LiveEvent {

    String callSid();

    /** The call's media stream started: the agent greets the caller. */
    record Started(String callSid, String direction, String from, String to, String campaign) implements LiveEvent {
    }

    /**
     * A line was said: the caller's words, or the agent's line ({@code said}) as far as the caller heard it
     * ({@code heard}; shorter when the caller cut in). Times in ms on the call's timeline.
     */
    record Line(String callSid, String speaker, String said, String heard, boolean interrupted, long startMs,
                long endMs) implements LiveEvent {
    }

    /** The caller went on: their last turn, and the answer begun to it, are taken back. */
    record Withdrawn(String callSid) implements LiveEvent {
    }

    /** A caller turn was answered: the gap the caller heard, and when each step happened (ms, null if not). */
    record Turn(String callSid, int number, Long firstAudioMs, Long decidedMs, Long firstTokenMs,
                Long firstVoiceByteMs) implements LiveEvent {
    }

    /** Something happened on the call: a barge-in, a false interruption, a fallback, a provider's error... */
    record Happened(String callSid, String kind, String detail, long atMs) implements LiveEvent {
    }

    record Ended(String callSid, String reason, String outcome, long lengthMs) implements LiveEvent {
    }
}
