package parley.stt;

/** One call's audio going to a recognizer. Every method may be called from any thread and never blocks. */
public interface RecognitionStream extends AutoCloseable {

    /** Raw mu-law 8 kHz exactly as Twilio delivers it (no transcoding); the array is copied. */
    void sendAudio(byte[] mulaw);

    /** Parley's turn detector decided the caller stopped: asks for the final result of what was heard. */
    void finalizeUtterance();

    /** The call is over: lets the recognizer finish what it heard, then closes. Idempotent. */
    @Override
    void close();
}
