package parley.tts;

import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands one turn's results to its listener and enforces the listener's contract whatever the provider does:
 * calls never overlap, nothing follows the single done or error, and nothing at all follows a cancel.
 *
 * <p>Every delivery runs under one lock that {@link #cancel} also takes, which is what lets
 * {@code cancel} promise that no audio arrives after it returns even when a provider thread is delivering
 * at that very moment. The lock is reentrant so that a listener may cancel from inside a callback. A
 * listener that throws is logged and otherwise ignored: it must not take a shared connection down with it.
 */
final class TurnDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(TurnDelivery.class);

    private enum State { SPEAKING, ENDED, CANCELLED }

    private final String voice;
    private final String turnId;
    private final SpeechListener listener;
    private final ReentrantLock lock = new ReentrantLock();
    private State state = State.SPEAKING;

    TurnDelivery(String voice, String turnId, SpeechListener listener) {
        this.voice = voice;
        this.turnId = turnId;
        this.listener = listener;
    }

    /** False when the turn is over and the audio was dropped. */
    boolean audio(byte[] mulaw8k) {
        if (mulaw8k.length == 0) {
            return isSpeaking();
        }
        return deliver(() -> listener.onAudio(mulaw8k), false);
    }

    boolean words(List<WordTiming> words) {
        if (words.isEmpty()) {
            return isSpeaking();
        }
        return deliver(() -> listener.onWords(List.copyOf(words)), false);
    }

    /** False when the turn had already ended or was cancelled. */
    boolean done() {
        return deliver(listener::onDone, true);
    }

    boolean fail(String problem) {
        return deliver(() -> listener.onError(problem), true);
    }

    /** True the first time only; once it returns, the listener hears nothing more. */
    boolean cancel() {
        lock.lock();
        try {
            if (state != State.SPEAKING) {
                return false;
            }
            state = State.CANCELLED;
            return true;
        } finally {
            lock.unlock();
        }
    }

    boolean isSpeaking() {
        lock.lock();
        try {
            return state == State.SPEAKING;
        } finally {
            lock.unlock();
        }
    }

    boolean isCancelled() {
        lock.lock();
        try {
            return state == State.CANCELLED;
        } finally {
            lock.unlock();
        }
    }

    private boolean deliver(Runnable callback, boolean ends) {
        lock.lock();
        try {
            if (state != State.SPEAKING) {
                return false;
            }
            if (ends) {
                state = State.ENDED;
            }
            try {
                callback.run();
            } catch (RuntimeException e) {
                LOG.warn("{} turn {}: the speech listener failed", voice, turnId, e);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
