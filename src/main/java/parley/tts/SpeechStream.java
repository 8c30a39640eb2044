package parley.tts;

/**
 * The text of one agent turn, handed over while the reply is still being written, so that the caller hears
 * the first phrase while the rest is still being generated.
 *
 * <p>Every method returns at once. Methods may be called from any thread but are meant to be called in
 * turn order by one writer at a time (push, push, ..., finish), with {@link #cancel} allowed from any
 * thread at any moment.
 */
public interface SpeechStream {

    /**
     * More text of this turn. Phrases are spoken as one utterance, so they carry their own spacing and
     * punctuation. An empty phrase is ignored, as is any phrase after the turn was cancelled or failed.
     *
     * @throws IllegalStateException after {@link #finish}
     */
    void push(String phrase);

    /** No more text for this turn: the listener's {@code onDone} follows the last audio. Idempotent. */
    void finish();

    /**
     * Barge-in: stops at once and drops whatever is pending. Once this returns, the listener receives
     * nothing more for this turn (no audio, no words, no done, no error); a delivery already running on
     * another thread is waited for. Idempotent.
     */
    void cancel();
}
