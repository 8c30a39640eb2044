package parley.tts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.conversation.HeardText;

/**
 * The voices in the order they were configured. A turn is spoken by the first; if it fails mid-turn, or goes
 * silent for longer than {@code maxSilenceMs} while it owes audio for text it was given, the next voice takes
 * the turn over from the start of the sentence that was being spoken, so the caller is never left in dead air
 * for long. A language model that pauses mid-answer is no fault of the voice: once the text so far is voiced,
 * silence is not counted.
 *
 * <p>A short circuit breaker per voice: after {@code breaker.failures()} turns in a row that a voice failed,
 * new turns skip it for {@code breaker.cooldownMs()}, so that a provider that hangs does not make every turn
 * pay {@code maxSilenceMs}; the first turn after the cool-down tries it again. The last voice is never skipped.
 */
public final class VoiceChain implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VoiceChain.class);
    private static final long WATCH_EVERY_MS = 50;
    private static final Pattern WORD = Pattern.compile("\\S+");

    /** When a voice is skipped: after this many failed turns in a row, for this long. */
    public record Breaker(int failures, long cooldownMs) {
    }

    private final List<TextToSpeech> voices;
    private final long maxSilenceMs;
    private final Breaker breaker;
    /** Guarded by this chain: per voice, turns failed in a row and until when new turns skip it. */
    private final int[] failedInARow;
    private final long[] skippedUntilNanos;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "parley-voice-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    public VoiceChain(List<TextToSpeech> voices, long maxSilenceMs, Breaker breaker) {
        if (voices.isEmpty()) {
            throw new IllegalArgumentException("at least one voice is needed");
        }
        this.voices = List.copyOf(voices);
        this.maxSilenceMs = maxSilenceMs;
        this.breaker = breaker;
        this.failedInARow = new int[voices.size()];
        this.skippedUntilNanos = new long[voices.size()];
    }

    /** The first voice at or after {@code from} whose breaker lets a turn through; the last voice always does. */
    private synchronized int usable(int from) {
        long now = System.nanoTime();
        for (int voice = from; voice < voices.size() - 1; voice++) {
            if (failedInARow[voice] < breaker.failures() || now - skippedUntilNanos[voice] >= 0) {
                return voice;
            }
        }
        return voices.size() - 1;
    }

    private synchronized void succeeded(int voice) {
        failedInARow[voice] = 0;
    }

    private synchronized void failedTurn(int voice) {
        if (++failedInARow[voice] >= breaker.failures()) {
            skippedUntilNanos[voice] = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(breaker.cooldownMs());
            LOG.warn("Voice {} failed {} turns in a row; new turns skip it for {} ms", voices.get(voice).name(),
                    failedInARow[voice], breaker.cooldownMs());
        }
    }

    /**
     * Each voice in order, and how it stands: "ok", failing ("2 failed turns in a row"), or skipped by new turns
     * after failing ("skipped for 12 s more after 2 failed turns").
     */
    public synchronized Map<String, String> states() {
        long now = System.nanoTime();
        Map<String, String> states = new LinkedHashMap<>();
        for (int voice = 0; voice < voices.size(); voice++) {
            long skippedForMs = TimeUnit.NANOSECONDS.toMillis(skippedUntilNanos[voice] - now);
            String state = failedInARow[voice] == 0 ? "ok"
                    : failedInARow[voice] >= breaker.failures() && skippedForMs > 0
                    ? "skipped for " + (skippedForMs + 999) / 1000 + " s more after " + failedInARow[voice]
                    + " failed turns"
                    : failedInARow[voice] + " failed turns in a row";
            states.put(voices.get(voice).name(), state);
        }
        return states;
    }

    public List<String> names() {
        return voices.stream().map(TextToSpeech::name).toList();
    }

    /** Opens a turn; the listener hears one voice at a time and never learns of a failover but by its words. */
    public SpeechStream open(String turnId, SpeechListener listener) {
        return new Turn(turnId, listener);
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        for (TextToSpeech voice : voices) {
            if (voice instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.warn("Closing voice {} failed", voice.name(), e);
                }
            }
        }
    }

    /** One turn, spoken by the current voice, handed to the next on failure. */
    private final class Turn implements SpeechStream {
        private final String turnId;
        private final SpeechListener listener;
        private final List<String> phrases = new ArrayList<>();
        private final ScheduledFuture<?> watch;
        private int voice;
        private Attempt attempt;
        private boolean finished;
        private boolean over;
        private long audioMs;
        private int wordsVoiced;
        /** Words the current voice was given, and those its timings have reached. */
        private int attemptWordsGiven;
        private int attemptWordsVoiced;
        private long lastPushNanos = System.nanoTime();
        private long lastAudioNanos;
        /**
         * Handovers under way: the next voice is being given the rest of the turn. A phrase or the finish that
         * comes meanwhile waits for it, so the next voice hears the rest first and the new phrase after it.
         */
        private int handingOver;

        Turn(String turnId, SpeechListener listener) {
            this.turnId = turnId;
            this.listener = listener;
            this.voice = usable(0);
            listener.onVoice(voices.get(voice).name());
            this.attempt = new Attempt(this, voice, 0);
            this.watch = watchdog.scheduleAtFixedRate(this::checkSilence, WATCH_EVERY_MS, WATCH_EVERY_MS,
                    TimeUnit.MILLISECONDS);
        }

        /*
         * A voice is never called while this turn's lock is held: a voice delivering audio holds its own lock
         * and calls back into the turn. A phrase pushed while a failover replaces the voice lands on the
         * cancelled stream, which ignores it; the failover has already handed it to the next voice.
         */
        @Override
        public void push(String phrase) {
            Attempt target;
            synchronized (this) {
                awaitHandover();
                if (over || phrase.isEmpty()) {
                    return;
                }
                lastPushNanos = System.nanoTime();
                phrases.add(phrase);
                attemptWordsGiven += wordsIn(phrase);
                target = attempt;
            }
            target.stream.push(phrase);
        }

        @Override
        public void finish() {
            Attempt target;
            synchronized (this) {
                awaitHandover();
                finished = true;
                target = attempt;
            }
            target.stream.finish();
        }

        @Override
        public void cancel() {
            SpeechStream stream;
            synchronized (this) {
                over = true;
                watch.cancel(false);
                stream = attempt.stream;
            }
            stream.cancel();
        }

        /**
         * Waits, releasing the turn's lock, while the next voice is given the rest of the turn: that takes only
         * the non-blocking calls that open its stream and hand it the phrases.
         */
        private void awaitHandover() {
            boolean interrupted = false;
            while (handingOver > 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        private synchronized void handedOver() {
            handingOver--;
            notifyAll();
        }

        synchronized void audio(Attempt from, byte[] mulaw) {
            if (from != attempt || over) {
                return;
            }
            audioMs += mulaw.length / 8;
            lastAudioNanos = System.nanoTime();
            listener.onAudio(mulaw);
        }

        synchronized void words(Attempt from, List<WordTiming> words) {
            if (from != attempt || over) {
                return;
            }
            wordsVoiced += words.size();
            attemptWordsVoiced += words.size();
            List<WordTiming> shifted = new ArrayList<>(words.size());
            double offset = from.startedAtMs / 1000.0;
            for (WordTiming word : words) {
                shifted.add(new WordTiming(word.word(), word.startSeconds() + offset, word.endSeconds() + offset));
            }
            listener.onWords(shifted);
        }

        synchronized void done(Attempt from) {
            if (from != attempt || over) {
                return;
            }
            over = true;
            watch.cancel(false);
            succeeded(voice);
            listener.onDone();
        }

        /**
         * Hands the turn to the next voice. The failed stream is cancelled outside the lock: cancelling waits
         * for a delivery in flight, which may itself be waiting for this turn.
         */
        void failed(Attempt from, String problem) {
            Attempt next;
            String rest;
            boolean finishNext;
            synchronized (this) {
                if (from != attempt || over) {
                    return;
                }
                String failedVoice = voices.get(voice).name();
                failedTurn(voice);
                voice = voice + 1 < voices.size() ? usable(voice + 1) : voices.size();
                if (voice >= voices.size()) {
                    over = true;
                    watch.cancel(false);
                    listener.onError("every voice failed; last, " + failedVoice + ": " + problem);
                    next = null;
                    rest = null;
                    finishNext = false;
                } else {
                    String pushed = String.join("", phrases);
                    rest = HeardText.fromCutSentence(pushed, voiced(pushed));
                    LOG.warn("Turn {}: voice {} failed ({}); {} takes over from \"{}\"", turnId, failedVoice,
                            problem, voices.get(voice).name(), rest);
                    listener.onHandoff(failedVoice, problem);
                    listener.onVoice(voices.get(voice).name());
                    next = new Attempt(this, voice, audioMs);
                    attempt = next;
                    lastPushNanos = System.nanoTime();
                    lastAudioNanos = 0;
                    attemptWordsVoiced = 0;
                    attemptWordsGiven = wordsIn(rest);
                    finishNext = finished;
                    handingOver++;
                }
            }
            from.stream.cancel();
            if (next != null) {
                try {
                    Phrases.split(rest).forEach(next.stream::push);
                    if (finishNext) {
                        next.stream.finish();
                    }
                } finally {
                    handedOver();
                }
            }
        }

        /** What the failed voice had said: its word timings tell exactly; without them, its pace is guessed. */
        private String voiced(String pushed) {
            if (wordsVoiced > 0) {
                Matcher word = WORD.matcher(pushed);
                int end = 0;
                for (int i = 0; i < wordsVoiced && word.find(); i++) {
                    end = word.end();
                }
                return pushed.substring(0, end);
            }
            long expectedMs = Math.max(audioMs + 1, HeardText.estimatedMs(pushed));
            return pushed.substring(0, HeardText.heardCharacters(pushed, audioMs, expectedMs));
        }

        private void checkSilence() {
            Attempt stalled;
            int stalledVoice;
            synchronized (this) {
                long quietMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - Math.max(lastPushNanos, lastAudioNanos));
                if (over || phrases.isEmpty() || quietMs < maxSilenceMs || !owesAudio()) {
                    return;
                }
                stalled = attempt;
                stalledVoice = voice;
            }
            failed(stalled, "no audio for " + maxSilenceMs + " ms");
            voices.get(stalledVoice).stalled();
        }

        /**
         * Whether the voice still owes audio for the text it was given: nothing came since the latest phrase,
         * its word timings have not reached the last word, or it sent less than half of what the text should
         * last. A model pausing mid-answer, after the voice caught up, owes nothing.
         */
        private boolean owesAudio() {
            if (lastAudioNanos < lastPushNanos) {
                return true;
            }
            if (attemptWordsVoiced > 0 && attemptWordsVoiced < attemptWordsGiven) {
                return true;
            }
            return audioMs < HeardText.estimatedMs(String.join("", phrases)) / 2;
        }

        String voiceName(int index) {
            return voices.get(index).name();
        }

        TextToSpeech voice(int index) {
            return voices.get(index);
        }
    }

    private static int wordsIn(String text) {
        return (int) WORD.matcher(text).results().count();
    }

    /** One voice's try at a turn; callbacks from an attempt that was replaced are ignored. */
    private static final class Attempt implements SpeechListener {
        private final Turn turn;
        private final long startedAtMs;
        private final SpeechStream stream;

        Attempt(Turn turn, int voice, long startedAtMs) {
            this.turn = turn;
            this.startedAtMs = startedAtMs;
            this.stream = turn.voice(voice).open(turn.turnId + "-" + turn.voiceName(voice), this);
        }

        public void onAudio(byte[] mulaw8k) {
            turn.audio(this, mulaw8k);
        }

        public void onWords(List<WordTiming> words) {
            turn.words(this, words);
        }

        public void onDone() {
            turn.done(this);
        }

        public void onError(String problem) {
            turn.failed(this, problem);
        }
    }
}
