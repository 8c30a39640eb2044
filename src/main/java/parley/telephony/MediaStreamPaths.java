package parley.telephony;

/** The HTTP paths Twilio is given. */
public final class MediaStreamPaths {
    public static final String VOICE = "/twilio/voice";
    public static final String STATUS = "/twilio/status";
    public static final String MEDIA = "/twilio/media";

    private MediaStreamPaths() {
    }
}
