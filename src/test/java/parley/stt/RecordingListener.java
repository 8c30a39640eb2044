package parley.stt;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Keeps everything a stream reports, in order, and lets a test wait for it. */
final class RecordingListener implements TranscriptListener {

    sealed interface Event permits Heard, SpeechStarted, UtteranceEnd, Problem {
    }

    record Heard(Transcript transcript) implements Event {
    }

    record SpeechStarted(double at) implements Event {
    }

    record UtteranceEnd(double lastWordEnd) implements Event {
    }

    record Problem(String text) implements Event {
    }

    private final List<Event> events = new ArrayList<>();

    @Override
    public void onTranscript(Transcript transcript) {
        add(new Heard(transcript));
    }

    @Override
    public void onSpeechStarted(double atSeconds) {
        add(new SpeechStarted(atSeconds));
    }

    @Override
    public void onUtteranceEnd(double lastWordEndSeconds) {
        add(new UtteranceEnd(lastWordEndSeconds));
    }

    @Override
    public void onError(String problem) {
        add(new Problem(problem));
    }

    private synchronized void add(Event event) {
        events.add(event);
        notifyAll();
    }

    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    synchronized List<Transcript> transcripts() {
        return events.stream().filter(Heard.class::isInstance).map(e -> ((Heard) e).transcript()).toList();
    }

    synchronized List<Transcript> finals() {
        return transcripts().stream().filter(Transcript::isFinal).toList();
    }

    synchronized List<String> problems() {
        return events.stream().filter(Problem.class::isInstance).map(e -> ((Problem) e).text()).toList();
    }

    /** Waits (up to {@code seconds}) until the recorded events satisfy {@code condition}. */
    synchronized void await(Predicate<RecordingListener> condition, String what, int seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.test(this)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out waiting for " + what + "; events: " + events);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    void await(Predicate<RecordingListener> condition, String what) throws InterruptedException {
        await(condition, what, 10);
    }
}
