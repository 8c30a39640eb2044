package parley.stt;

import java.util.List;

/**
 * One recognition result.
 *
 * @param text the words heard, formatted; empty when the recognizer heard no words in the audio it covers
 * @param isFinal the recognizer will not revise this span any more
 * @param speechFinal the recognizer's endpointing saw the speaker pause after these words
 * @param fromFinalize this result answers {@link RecognitionStream#finalizeUtterance()}
 * @param start start of the audio this result covers, seconds on the call's timeline
 * @param duration length of that audio, seconds
 * @param words the words with their times on the call's timeline
 */
public record Transcript(String text, boolean isFinal, boolean speechFinal, boolean fromFinalize, double start,
        double duration, List<Word> words) {

    public Transcript {
        words = List.copyOf(words);
    }
}
