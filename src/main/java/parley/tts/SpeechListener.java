package parley.tts;

import java.util.List;

/**
 * Receives one turn's speech. Calls for one turn never overlap and arrive in order; the turn ends with
 * exactly one {@link #onDone} or {@link #onError}, unless it is cancelled first.
 *
 * <p>Callbacks run on the voice's I/O or worker threads, which a network voice shares between the turns
 * of many calls: they should hand the data on and return rather than block.
 */
public interface SpeechListener {

    /** Raw mu-law 8 kHz mono, no header, any length. */
    void onAudio(byte[] mulaw8k);

    /** Word timings, when the voice gives them; times count from the start of this turn's audio. */
    void onWords(List<WordTiming> words);

    /** All audio of the turn has been delivered. */
    void onDone();

    /** The turn failed and will deliver nothing more; Parley may speak the turn with another voice. */
    void onError(String problem);

    /** A chain of voices names the voice that speaks the turn: first as it starts, then after each handoff. */
    default void onVoice(String voice) {
    }

    /** A chain of voices handed the turn on from {@code failed}, which failed with {@code problem}. */
    default void onHandoff(String failed, String problem) {
    }
}
