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
 * @param firstTokenMs    the model's first words of the answer arrived (null for a scripted answer)
 * @param firstVoiceByteMs the voice's first audio of the answer arrived (null for a line played from the
 *                        cache of lines already voiced)
 * @param firstAudioMs    the answer's first audio went to Twilio
 * @param speechEndNanos  the speech end on {@link System#nanoTime()}'s clock, that later steps count from
 */
public record TurnTiming(Long stopDetectedMs, Long finalizeSentMs, Long finalReceivedMs, Long verdictMs,
                         Long decidedMs, Long firstTokenMs, Long firstVoiceByteMs, Long firstAudioMs,
                         long speechEndNanos) {

    /**
     * The same, completed by the answer: its first model token, first voice audio and first audio sent to
     * Twilio at these moments ({@link System#nanoTime()}; negative for a step that did not happen).
     */
    public TurnTiming answered(long firstTokenNanos, long firstVoiceByteNanos, long firstAudioNanos) {
        return new TurnTiming(stopDetectedMs, finalizeSentMs, finalReceivedMs, verdictMs, decidedMs,
                sinceSpeechEnd(speechEndNanos, firstTokenNanos), sinceSpeechEnd(speechEndNanos, firstVoiceByteNanos),
                sinceSpeechEnd(speechEndNanos, firstAudioNanos), speechEndNanos);
    }

    static Long sinceSpeechEnd(long speechEndNanos, long nanos) {
        return nanos < 0 ? null : Math.round((nanos - speechEndNanos) / 1e6);
    }

    @Override
    public String toString() {
        return "detected=" + stopDetectedMs + " finalize=" + finalizeSentMs + " final=" + finalReceivedMs
                + " verdict=" + verdictMs + " decided=" + decidedMs + " firstToken=" + firstTokenMs
                + " firstVoiceByte=" + firstVoiceByteMs + " firstAudio=" + firstAudioMs;
    }
}
