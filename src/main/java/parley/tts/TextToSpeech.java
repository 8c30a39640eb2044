package parley.tts;

/**
 * A streaming voice: one {@link SpeechStream} per agent turn.
 *
 * <p>Implementations never block the caller of {@link #open} or of the stream's methods on the network or
 * on synthesis, since those callers sit on a call's hot path; audio and outcomes come back through the
 * {@link SpeechListener}.
 */
public interface TextToSpeech {

    /** Short, stable name for logs and metrics, e.g. {@code cartesia}. */
    String name();

    /**
     * Starts a turn. {@code turnId} names the turn in logs; it need not be unique across calls, since each
     * voice keeps the turns of different calls apart on its own.
     */
    SpeechStream open(String turnId, SpeechListener listener);

    /**
     * A turn of this voice went silent while it owed audio: its connection may be stalled. A voice that keeps a
     * connection replaces it, so the next turns do not wait on it too.
     */
    default void stalled() {
    }
}
