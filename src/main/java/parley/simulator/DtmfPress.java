package parley.simulator;

/** A key the caller presses at {@code atMs} after the stream start. */
public record DtmfPress(char digit, long atMs) {

    private static final String DIGITS = "0123456789*#";

    public DtmfPress {
        if (DIGITS.indexOf(digit) < 0) {
            throw new IllegalArgumentException("not a DTMF digit (0-9, * or #): " + digit);
        }
        if (atMs < 0) {
            throw new IllegalArgumentException("atMs must not be negative: " + atMs);
        }
    }
}
