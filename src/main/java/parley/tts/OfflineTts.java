package parley.tts;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import parley.audio.OfflineVoice;

/**
 * The offline voice ({@link OfflineVoice}) behind the streaming interface: no keys, no network, and the
 * fallback when a provider fails.
 *
 * <p>Each pushed phrase is synthesised on a worker thread, because synthesis blocks (a few milliseconds per
 * sentence, longer when other calls are queued on the voice) and the pushing thread belongs to the call.
 * A turn's phrases are chained one after another, so its audio arrives in the order the text did, while
 * turns of different calls proceed independently. A cancelled turn stops at once: a phrase still being
 * synthesised is finished by the voice but its audio is dropped, and queued phrases are never synthesised.
 *
 * <p>The offline voice reports no word timings, and none are estimated: a guessed timing would put words in
 * the conversation history that the caller may not have heard, so {@code onWords} is never called.
 */
public final class OfflineTts implements TextToSpeech, AutoCloseable {

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final OfflineVoice voice;
    /** Daemon threads, like the voice's own, so that a voice nobody closed cannot keep the JVM alive. */
    private final ExecutorService workers = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "parley-offline-tts-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    /** The voice stays the caller's: closing this does not close it. */
    public OfflineTts(OfflineVoice voice) {
        this.voice = Objects.requireNonNull(voice, "voice");
    }

    @Override
    public String name() {
        return "offline";
    }

    @Override
    public SpeechStream open(String turnId, SpeechListener listener) {
        Objects.requireNonNull(turnId, "turnId");
        Objects.requireNonNull(listener, "listener");
        if (workers.isShutdown()) {
            throw new IllegalStateException("OfflineTts is closed");
        }
        return new Turn(turnId, listener);
    }

    /** Stops the workers; phrases already queued are dropped and their turns never end. */
    @Override
    public void close() {
        workers.shutdownNow();
    }

    private final class Turn implements SpeechStream {

        private final String turnId;
        private final TurnDelivery delivery;
        /** The last queued step of this turn; guarded by this. */
        private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
        private boolean finished;

        Turn(String turnId, SpeechListener listener) {
            this.turnId = turnId;
            this.delivery = new TurnDelivery("offline", turnId, listener);
        }

        @Override
        public void push(String phrase) {
            Objects.requireNonNull(phrase, "phrase");
            synchronized (this) {
                if (finished) {
                    throw new IllegalStateException("Turn " + turnId + " is already finished");
                }
                if (!phrase.isEmpty() && delivery.isSpeaking()) {
                    then(() -> speak(phrase));
                }
            }
        }

        @Override
        public void finish() {
            synchronized (this) {
                if (!finished) {
                    finished = true;
                    then(delivery::done);
                }
            }
        }

        @Override
        public void cancel() {
            delivery.cancel();
        }

        /** Must hold this. */
        private void then(Runnable step) {
            tail = tail.thenRunAsync(() -> {
                if (delivery.isSpeaking()) {
                    step.run();
                }
            }, workers);
        }

        private void speak(String phrase) {
            byte[] audio;
            try {
                audio = voice.speakMuLaw(phrase);
            } catch (RuntimeException e) {
                delivery.fail("Offline voice failed: " + ProviderText.describe(e));
                return;
            }
            delivery.audio(audio);
        }
    }
}
