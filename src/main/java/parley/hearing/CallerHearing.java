package parley.hearing;

/**
 * One call's hearing: its audio cut into windows, the words recognised so far, its turn-taking, and the timing
 * of the turn under way.
 */
public record CallerHearing(CallerEar ear, CallerWords words, TurnDetector turns, TurnTimer timer) {

    public static CallerHearing start(SileroVad vad, TurnDetector.Settings settings) {
        CallerWords words = new CallerWords();
        return new CallerHearing(new CallerEar(vad.newStream()), words, new TurnDetector(settings, words),
                new TurnTimer());
    }
}
