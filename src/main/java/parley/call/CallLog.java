package parley.call;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a call's record says beyond the conversation: when the call was opened and answered, what happened on
 * it ({@link CallEvent}s), which providers and models served it, and its recording when one is kept.
 *
 * <p>Instants are read once from the {@link Clock} when the call opens; every later moment is that instant
 * moved on by {@link System#nanoTime()}, the clock the call's steps are timed with, so a record's points in
 * time and its durations agree. The call's timeline counts from the media stream's start (Twilio's start
 * event), as the hearing's does.
 *
 * <p>Written from the call's lane, the playback clock and providers' threads: methods synchronise.
 */
public final class CallLog {

    /** A call that keeps producing events (a peer sending bad frames) keeps this many and counts the rest. */
    static final int MAX_EVENTS = 500;

    private final Instant openedAt;
    private final long openedNanos;
    private long answeredNanos = -1;
    /** Set once, at the stream's start; read on every frame, so without a lock. */
    private volatile CallRecording recording;
    private final List<CallEvent> events = new ArrayList<>();
    private int eventsNotKept;
    private final Map<String, Set<String>> servedBy = new LinkedHashMap<>();

    private final CallWatch watch;
    /** Twilio's sid, from the stream's start; the live feed names the call by it. */
    private String callSid;

    public CallLog(Clock clock, CallWatch watch) {
        this.watch = watch;
        this.openedAt = clock.instant();
        this.openedNanos = System.nanoTime();
    }

    /** The media stream started: the call's timeline begins, and its recording if {@code recordMs} > 0. */
    synchronized void answered(String callSid, long recordMs) {
        this.callSid = callSid;
        answeredNanos = System.nanoTime();
        if (recordMs > 0) {
            recording = new CallRecording(answeredNanos, recordMs);
        }
    }

    /** The moment {@code nanos} (on {@link System#nanoTime()}'s clock) as a point in time. */
    public Instant instantAt(long nanos) {
        return openedAt.plusNanos(nanos - openedNanos);
    }

    public Instant openedAt() {
        return openedAt;
    }

    /** When the media stream started, or null if it never did. */
    public synchronized Instant answeredAt() {
        return answeredNanos < 0 ? null : instantAt(answeredNanos);
    }

    /** Milliseconds from the stream's start to {@code nanos}. */
    public synchronized long callMs(long nanos) {
        return answeredNanos < 0 ? 0 : (nanos - answeredNanos) / 1_000_000;
    }

    /** Now, in milliseconds on the call's timeline. */
    public long nowMs() {
        return callMs(System.nanoTime());
    }

    /** Milliseconds since the call was opened. */
    public long ageMs() {
        return (System.nanoTime() - openedNanos) / 1_000_000;
    }

    public void note(CallEvent.Kind kind, String detail) {
        CallEvent event = new CallEvent(kind, nowMs(), detail);
        String sid;
        boolean kept;
        synchronized (this) {
            sid = callSid;
            kept = events.size() < MAX_EVENTS;
            if (kept) {
                events.add(event);
            } else {
                eventsNotKept++;
            }
        }
        watch.event(kept ? sid : null, event);
    }

    /** A provider or model that served the call in {@code role} ("recognizer", "voice", "model"). */
    public synchronized void servedBy(String role, String provider) {
        servedBy.computeIfAbsent(role, r -> new LinkedHashSet<>()).add(provider);
    }

    /** The call's events, the last one saying how many more were not kept, if any were not. */
    public synchronized List<CallEvent> events() {
        if (eventsNotKept == 0) {
            return List.copyOf(events);
        }
        List<CallEvent> all = new ArrayList<>(events);
        all.add(new CallEvent(events.get(events.size() - 1).kind(), events.get(events.size() - 1).atMs(),
                eventsNotKept + " more events were not kept"));
        return List.copyOf(all);
    }

    public synchronized Map<String, List<String>> servedBy() {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        servedBy.forEach((role, providers) -> copy.put(role, List.copyOf(providers)));
        return copy;
    }

    /** Both sides of the call, or null when calls are not recorded. */
    public CallRecording recording() {
        return recording;
    }
}
