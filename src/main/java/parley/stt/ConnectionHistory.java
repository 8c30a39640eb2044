package parley.stt;

/**
 * How the recognizer's latest connection attempts went, over all calls: the health check reads it. Times are
 * {@link System#nanoTime()} readings, as only their order and age matter.
 */
public final class ConnectionHistory {

    /** The latest attempt's outcome: {@code failure} is null when it connected. */
    public record Latest(boolean everTried, String failure, long ageNanos) {
    }

    private boolean everTried;
    private String failure;
    private long atNanos;

    synchronized void connected() {
        everTried = true;
        failure = null;
        atNanos = System.nanoTime();
    }

    synchronized void failed(String why) {
        everTried = true;
        failure = why;
        atNanos = System.nanoTime();
    }

    public synchronized Latest latest() {
        return new Latest(everTried, failure, everTried ? System.nanoTime() - atNanos : 0);
    }
}
