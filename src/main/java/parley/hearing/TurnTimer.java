package parley.hearing;

/**
 * Stamps the steps of the caller's current turn as they happen, for {@link TurnTiming}. Each candidate stop
 * starts the count again: the steps that matter are those after the silence that really ended the turn.
 * Touched only on the call's lane.
 */
public final class TurnTimer {

    private long speechEnd = -1;
    private long stopDetected = -1;
    private long finalizeSent = -1;
    private long finalReceived = -1;
    private long verdict = -1;

    /** The caller fell silent {@code silenceMs} ago, as turn-taking sees it now. */
    public void stopped(long silenceMs) {
        stopDetected = System.nanoTime();
        speechEnd = stopDetected - silenceMs * 1_000_000;
        finalizeSent = -1;
        finalReceived = -1;
        verdict = -1;
    }

    public void finalizeSent() {
        if (speechEnd >= 0 && finalizeSent < 0) {
            finalizeSent = System.nanoTime();
        }
    }

    public void finalReceived() {
        if (finalizeSent >= 0 && finalReceived < 0) {
            finalReceived = System.nanoTime();
        }
    }

    /** The turn model's verdict on the current pause arrived (its last one counts: it may listen twice). */
    public void verdict() {
        if (speechEnd >= 0) {
            verdict = System.nanoTime();
        }
    }

    /** The turn is over now: its timing so far (the first audio is still to come). */
    public TurnTiming decided() {
        long now = System.nanoTime();
        if (speechEnd < 0) {
            // Turn-taking ends a turn only after a stop it reported; were that ever not so, the turn's steps
            // count from its end rather than from no moment at all.
            speechEnd = now;
        }
        TurnTiming timing = new TurnTiming(since(stopDetected), since(finalizeSent), since(finalReceived),
                since(verdict), since(now), null, null, null, speechEnd);
        speechEnd = -1;
        return timing;
    }

    private Long since(long nanos) {
        return TurnTiming.sinceSpeechEnd(speechEnd, nanos);
    }
}
