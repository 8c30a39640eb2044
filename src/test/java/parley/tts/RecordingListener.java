package parley.tts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Records what a turn delivers, when and on which thread, and lets a test wait for it. */
final class RecordingListener implements SpeechListener {

    sealed interface Event permits Audio, Words, Done, Failed {}

    record Audio(byte[] mulaw, long atNanos, String thread) implements Event {}

    record Words(List<WordTiming> words) implements Event {}

    record Done() implements Event {}

    record Failed(String problem) implements Event {}

    private final List<Event> events = new ArrayList<>();
    private final CountDownLatch ended = new CountDownLatch(1);

    @Override
    public synchronized void onAudio(byte[] mulaw8k) {
        events.add(new Audio(mulaw8k.clone(), System.nanoTime(), Thread.currentThread().getName()));
        notifyAll();
    }

    @Override
    public synchronized void onWords(List<WordTiming> words) {
        events.add(new Words(words));
        notifyAll();
    }

    @Override
    public synchronized void onDone() {
        events.add(new Done());
        ended.countDown();
        notifyAll();
    }

    @Override
    public synchronized void onError(String problem) {
        events.add(new Failed(problem));
        ended.countDown();
        notifyAll();
    }

    /** The voices a chain named as speaking the turn, in order, and the handoffs between them. */
    private final List<String> voices = new ArrayList<>();
    private final List<String> handoffs = new ArrayList<>();

    @Override
    public synchronized void onVoice(String voice) {
        voices.add(voice);
    }

    @Override
    public synchronized void onHandoff(String failed, String problem) {
        handoffs.add(failed + ": " + problem);
    }

    synchronized List<String> voices() {
        return List.copyOf(voices);
    }

    synchronized List<String> handoffs() {
        return List.copyOf(handoffs);
    }

    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    synchronized byte[] audio() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        events.stream().filter(Audio.class::isInstance).map(Audio.class::cast).forEach(a -> all.writeBytes(a.mulaw()));
        return all.toByteArray();
    }

    synchronized List<WordTiming> words() {
        List<WordTiming> all = new ArrayList<>();
        events.stream().filter(Words.class::isInstance).map(Words.class::cast).forEach(w -> all.addAll(w.words()));
        return all;
    }

    synchronized List<Audio> audioEvents() {
        return events.stream().filter(Audio.class::isInstance).map(Audio.class::cast).toList();
    }

    /** Waits until at least this much audio arrived; fails the test otherwise. */
    void awaitAudio(int bytes, Duration timeout) throws InterruptedException {
        awaitState(listener -> listener.audio().length >= bytes, timeout, bytes + " bytes of audio");
    }

    void awaitWords(int count, Duration timeout) throws InterruptedException {
        awaitState(listener -> listener.words().size() >= count, timeout, count + " word timings");
    }

    /** Waits for done or error and returns it. */
    Event awaitEnd(Duration timeout) throws InterruptedException {
        assertThat(ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS)).as("turn ended within " + timeout).isTrue();
        List<Event> all = events();
        return all.get(all.size() - 1);
    }

    boolean hasEnded() {
        return ended.getCount() == 0;
    }

    private synchronized void awaitState(Predicate<RecordingListener> condition, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(this)) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            assertThat(left).as("waited for " + what + "; got " + events).isPositive();
            wait(left);
        }
    }
}
