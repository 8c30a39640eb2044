package parley.stt;

/** What a recognition stream reports. All times are seconds on the call's audio timeline (0 = first audio byte). */
public interface TranscriptListener {

    void onTranscript(Transcript transcript);

    void onSpeechStarted(double atSeconds);

    void onUtteranceEnd(double lastWordEndSeconds);

    /** Something went wrong; Parley logs it. The stream keeps going (it reconnects by itself). */
    void onError(String problem);
}
