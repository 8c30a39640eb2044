package parley.hearing;

/**
 * A model that hears, from the sound of the caller's turn alone, whether they have finished it: the rise and
 * fall of a finished sentence against the held note of one that goes on. Turn-taking asks it at every
 * candidate stop, alongside the words.
 */
public interface TurnModel {

    /**
     * The probability that the turn is complete.
     *
     * @param phoneAudio the turn's audio at 8 kHz, samples in [-1, 1]; only the last 8 s are heard
     * @param length how many samples of {@code phoneAudio}, from its start, are the turn
     */
    float completeProbability(float[] phoneAudio, int length);
}
