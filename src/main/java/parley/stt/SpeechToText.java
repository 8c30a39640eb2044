package parley.stt;

import java.util.Map;

/** Per-call streaming recognition. */
public interface SpeechToText {

    /**
     * Opens the call's recognition stream. Returns at once: connecting happens in the background, and audio
     * sent meanwhile is kept and delivered when the connection is up.
     *
     * @param callId the call's identifier, used to label the stream at the provider
     * @param callParameters the call's custom parameters (Twilio {@code start.customParameters})
     * @param listener receives results; called from the client's threads, one callback at a time per stream
     */
    RecognitionStream open(String callId, Map<String, String> callParameters, TranscriptListener listener);

    /** What recognizes, as a call's record names it: the service, its model and where it is reached. */
    String name();
}
