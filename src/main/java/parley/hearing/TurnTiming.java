package parley.hearing;

/**
 * When each step of taking one caller turn happened, in milliseconds after the caller's speech ended (the
 * start of the silence that ended the turn); null for a step that did not happen, never 0.
 *
 * @param stopDetectedMs  turn-taking saw the silence (the candidate stop)
 * @param finalizeSentMs  the recognizer was asked to finalize
 * @param finalReceivedMs the recognizer's final words for the turn arrived
 * @param verdictMs       the turn model's verdict arrived
 * @param decidedMs       the turn was over: the answer was chosen from here
 * @param firstAudioMs    the answer's first audio went to Twilio
 * @param speechEndNanos  the speech end on {@link System#nanoTime()}'s clock, that later steps count from
 */
public record TurnTiming(Long stopDetectedMs, Long finalizeSentMs, Long finalReceivedMs, Long verdictMs,
                         Long decidedMs, Long firstAudioMs, long speechEndNanos) {

    /** The same, with the answer's first audio sent at {@code nanos}. */
    public TurnTiming firstAudioAt(long nanos) {
        return new TurnTiming(stopDetectedMs, finalizeSentMs, finalReceivedMs, verdictMs, decidedMs,
                sinceSpeechEnd(speechEndNanos, nanos), speechEndNanos);
    }

    static Long sinceSpeechEnd(long speechEndNanos, long nanos) {
        return nanos < 0 ? null : Math.round((nanos - speechEndNanos) / 1e6);
    }

    @Override
    public String toString() {
        return "detected=" + stopDetectedMs + " finalize=" + finalizeSentMs + " final=" + finalReceivedMs
                + " verdict=" + verdictMs + " decided=" + decidedMs + " firstAudio=" + firstAudioMs;
    }
}
