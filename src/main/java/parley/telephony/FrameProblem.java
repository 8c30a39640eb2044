package parley.telephony;

/** Why an inbound Media Streams frame was not used. The names are the {@code reason} tag of the metric. */
public enum FrameProblem {
    MALFORMED_JSON,
    UNKNOWN_EVENT,
    MISSING_FIELD,
    INVALID_PAYLOAD,
    MEDIA_BEFORE_START,
    OVERSIZE,
    FLOOD,
    BINARY_FRAME,
    /** A second {@code start} on a stream that has started. */
    DUPLICATE_START,
    /** A {@code mark} echo with a name Parley never sent on the stream, or one already echoed. */
    UNKNOWN_MARK;

    public String tag() {
        return name().toLowerCase();
    }
}
