package parley.hearing;

/**
 * What Parley hears the caller do, stamped in stream time: milliseconds of the call's audio since Twilio's
 * start, the clock every stage of a call shares.
 */
public sealed interface HearingEvent {

    long atMs();

    /** The route-facing name of the event, used to branch on it. */
    String kind();

    /** The first window the voice-activity detector scored as speech after a silence. */
    record CallerStartedSpeaking(long atMs) implements HearingEvent {
        public String kind() {
            return "caller-started";
        }
    }

    /** The caller fell silent; {@code speechMs} is how long they spoke. */
    record CallerStoppedSpeaking(long atMs, long speechMs) implements HearingEvent {
        public String kind() {
            return "caller-stopped";
        }
    }

    /**
     * The caller is still silent in a pause with a turn pending, and the turn model should listen: the
     * recognizer's words have reached the pause, or it heard the pause as unfinished and should listen again
     * with more of the silence (it was trained to judge a turn after about 200 ms of it).
     */
    record CallerStillSilent(long atMs) implements HearingEvent {
        public String kind() {
            return "caller-still-silent";
        }
    }

    /**
     * The caller has finished their turn: the agent may answer. Their speech in it ran from
     * {@code speechStartMs} to {@code atMs - silenceWaitedMs}.
     */
    record TurnEnded(long atMs, EndOfTurn.Reason reason, long silenceWaitedMs, String transcript,
                     long speechStartMs) implements HearingEvent {
        public String kind() {
            return "turn-ended";
        }
    }

    /**
     * The caller began to make sound over the agent: the agent sends nothing more until it is known whether
     * they are taking the turn, so the caller hears it pause (once what Twilio holds has played) rather than
     * stop and start its sentence again.
     */
    record CallerOverlapping(long atMs) implements HearingEvent {
        public String kind() {
            return "caller-overlapping";
        }
    }

    /**
     * The sound the caller made over the agent did not take the turn (a backchannel, a cough, or words the
     * agent had already finished its line under): the agent goes on from the sample it held at.
     */
    record OverlapPassed(long atMs, String heard) implements HearingEvent {
        public String kind() {
            return "overlap-passed";
        }
    }

    /**
     * The caller went on speaking within moments of the end of their turn: the turn was not over. Its answer
     * is withdrawn, and the turn, reopened, ends when the caller is done, with all its words.
     */
    record CallerWentOn(long atMs, long turnStartedAtMs) implements HearingEvent {
        public String kind() {
            return "caller-went-on";
        }
    }

    /**
     * The caller is taking the turn over the agent: the recognizer heard words that are not a backchannel, or
     * they talked over it long enough with no words heard yet. The agent must yield.
     */
    record CallerInterrupted(long atMs, long speechStartedAtMs) implements HearingEvent {
        public String kind() {
            return "caller-interrupted";
        }
    }

    /** The agent yielded, but no words followed (a cough, a noise) or only a backchannel: it picks up again. */
    record FalseInterruption(long atMs, String heard) implements HearingEvent {
        public String kind() {
            return "false-interruption";
        }
    }

    /**
     * Nobody has spoken for the script's silence (the agent finished, the caller said nothing); {@code silences}
     * counts such silences in a row, the caller's speech starting the count again.
     */
    record CallerSilent(long atMs, int silences) implements HearingEvent {
        public String kind() {
            return "caller-silent";
        }
    }
}
