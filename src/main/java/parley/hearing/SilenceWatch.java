package parley.hearing;

/**
 * Times a call's silences on the caller's audio (stream time, one frame at a time), so a caller who says
 * nothing is checked on after the same silence however busy the machine is. A silence runs while the agent is
 * not speaking and no turn of the caller's is under way; the agent speaking starts it again, and the caller
 * speaking starts the count of silences again too.
 */
public final class SilenceWatch {

    private long quietSinceMs = -1;
    private int silences;

    /**
     * @return how many silences in a row the frame ending at {@code endMs} completes (1, then 2, ...), or 0
     */
    public synchronized int onFrame(long endMs, boolean quiet, boolean callerSpeaking, long silenceMs) {
        if (callerSpeaking) {
            silences = 0;
        }
        if (!quiet) {
            quietSinceMs = -1;
            return 0;
        }
        if (quietSinceMs < 0) {
            quietSinceMs = endMs;
            return 0;
        }
        if (endMs - quietSinceMs < silenceMs) {
            return 0;
        }
        quietSinceMs = -1;
        return ++silences;
    }
}
