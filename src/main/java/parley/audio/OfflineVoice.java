package parley.audio;

import com.sun.speech.freetts.Voice;
import com.sun.speech.freetts.VoiceManager;
import com.sun.speech.freetts.audio.AudioPlayer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sound.sampled.AudioFormat;

/**
 * Text-to-speech without network or credentials, using FreeTTS's "kevin16" diphone voice.
 *
 * <p>FreeTTS speaks into an {@link AudioPlayer}; this class hands it one that records into memory, so no
 * sound device is needed. The 16 kHz result is band-limited down to 8 kHz, and the silence FreeTTS puts
 * around every utterance (about 230 ms before, 100 ms after) is cut to {@value #LEAD_MS} ms before and
 * {@value #TAIL_MS} ms after the speech, so that the caller hears the agent start talking at once.
 * Text that produces no audible speech (e.g. only punctuation) yields an empty result.
 *
 * <p>Thread safety: a FreeTTS {@code Voice} keeps per-utterance state in its processors and delivers audio
 * from its own output thread into the single player it owns, so overlapping {@code speak} calls would mix
 * their audio. Each instance therefore confines its voice to one synthesis thread and queues callers;
 * a warm voice takes a few milliseconds per sentence, so the queue stays short. The confinement also makes
 * interrupts harmless: FreeTTS gives up waiting when its speaking thread is interrupted while its output
 * thread is still writing, which would leak the rest of that utterance into the next one. Here only the
 * waiting caller is interrupted; the synthesis thread finishes the utterance undisturbed. Separate
 * instances may speak in parallel, but loading a voice fills FreeTTS's unguarded static caches (compiled
 * lexicons, letter-to-sound tables), so construction is serialised across all instances.
 */
public final class OfflineVoice implements AutoCloseable {

    private static final String VOICES_PROPERTY = "freetts.voices";
    private static final String KEVIN_DIRECTORY = "com.sun.speech.freetts.en.us.cmu_us_kal.KevinVoiceDirectory";
    private static final String VOICE_NAME = "kevin16";

    private static final int LEAD_MS = 20;
    private static final int TAIL_MS = 50;
    private static final int SAMPLES_PER_MS = 8;
    private static final int WINDOW = 5 * SAMPLES_PER_MS;
    /**
     * A 5 ms window counts as speech once its RMS passes 150 (about -47 dBFS). Between words FreeTTS leaves a
     * floor of 10-50 RMS, and some diphone lead-ins breathe at up to 85; soft onsets (the "f" of "four", the
     * "th" of "thanks") pass 150 within 30 ms of starting, and the lead-in keeps their quiet beginning.
     */
    private static final double SPEECH_RMS = 150;

    private static final Object LOADING = new Object();
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final CapturingPlayer player = new CapturingPlayer();
    private final Voice voice;
    /** Daemon, like FreeTTS's own output thread, so that a voice nobody closed cannot keep the JVM alive. */
    private final ExecutorService synthesis = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "parley-offline-voice-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });
    private boolean closed;

    /** FreeTTS's own speaking rate. */
    public static final float DEFAULT_WORDS_PER_MINUTE = 150;

    /** Allocates the voice, registering FreeTTS's bundled kevin voices if no voice directory is configured. */
    public OfflineVoice() {
        this(DEFAULT_WORDS_PER_MINUTE);
    }

    /** A voice speaking at the given rate; FreeTTS keeps the pitch and stretches or shortens the sounds. */
    public OfflineVoice(float wordsPerMinute) {
        if (!(wordsPerMinute >= 60 && wordsPerMinute <= 400)) {
            throw new IllegalArgumentException("the offline voice speaks at 60 to 400 words per minute, not "
                    + wordsPerMinute);
        }
        synchronized (LOADING) {
            if (System.getProperty(VOICES_PROPERTY) == null) {
                System.setProperty(VOICES_PROPERTY, KEVIN_DIRECTORY);
            }
            Voice found = VoiceManager.getInstance().getVoice(VOICE_NAME);
            if (found == null) {
                throw new IllegalStateException("FreeTTS has no voice '" + VOICE_NAME + "': the system property "
                        + VOICES_PROPERTY + " is '" + System.getProperty(VOICES_PROPERTY) + "' and must include "
                        + KEVIN_DIRECTORY);
            }
            // Set before allocating, so FreeTTS never opens its default player on a sound device.
            found.setAudioPlayer(player);
            found.setRate(wordsPerMinute);
            found.allocate();
            voice = found;
        }
    }

    /**
     * Linear PCM, 8 kHz mono. Waits for the calls queued before it; if the waiting thread is interrupted,
     * its interrupt flag is kept and an {@link IllegalStateException} is thrown.
     */
    public short[] speakPcm8k(String text) {
        Objects.requireNonNull(text, "text");
        Future<Capture> pending;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("OfflineVoice is closed");
            }
            pending = synthesis.submit(() -> synthesise(text));
        }
        Capture capture = await(pending);
        return trimSilence(Resampler.to8k(capture.samples(), capture.sampleRate()));
    }

    /** Mu-law, 8 kHz mono. */
    public byte[] speakMuLaw(String text) {
        return MuLaw.encode(speakPcm8k(text));
    }

    /**
     * Deallocates the voice once the calls already queued have been spoken, and waits for that (up to 10 s)
     * unless interrupted. Later speak calls fail. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            synthesis.execute(voice::deallocate);
            synthesis.shutdown();
        }
        try {
            // Queued sentences take milliseconds each; the bound only guards against a hung synthesis.
            synthesis.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs on the synthesis thread only. */
    private Capture synthesise(String text) {
        player.start();
        if (!voice.speak(text)) {
            throw new IllegalStateException("FreeTTS failed to synthesise: " + text);
        }
        return player.finish();
    }

    private static Capture await(Future<Capture> pending) {
        try {
            // Future.get() does not look at the interrupt flag when the work is already done; an interrupted
            // caller must be refused the same way however fast the synthesis was.
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException();
            }
            return pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for speech synthesis", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("Speech synthesis failed", cause);
        }
    }

    /** Keeps the lead-in before the first and the tail after the last speech window; silence alone gives nothing. */
    static short[] trimSilence(short[] pcm) {
        double threshold = SPEECH_RMS * SPEECH_RMS;
        int first = -1;
        int end = -1;
        for (int start = 0; start < pcm.length; start += WINDOW) {
            int stop = Math.min(start + WINDOW, pcm.length);
            double energy = 0;
            for (int i = start; i < stop; i++) {
                energy += (double) pcm[i] * pcm[i];
            }
            if (energy > threshold * (stop - start)) {
                if (first < 0) {
                    first = start;
                }
                end = stop;
            }
        }
        if (first < 0) {
            return new short[0];
        }
        return Arrays.copyOfRange(pcm,
                Math.max(0, first - LEAD_MS * SAMPLES_PER_MS),
                Math.min(pcm.length, end + TAIL_MS * SAMPLES_PER_MS));
    }

    private record Capture(short[] samples, int sampleRate) {
    }

    /**
     * Records what FreeTTS plays. FreeTTS writes from its own output thread while the synthesis thread waits,
     * hence the synchronisation. Playback controls (pause, volume, timing, metrics) mean nothing for an
     * in-memory capture and are accepted without effect.
     */
    private static final class CapturingPlayer implements AudioPlayer {

        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private AudioFormat format;
        private float volume = 1f;

        synchronized void start() {
            bytes.reset();
            format = null;
        }

        synchronized Capture finish() {
            if (format == null) {
                return new Capture(new short[0], Resampler.TARGET_RATE);
            }
            boolean linear16Mono = AudioFormat.Encoding.PCM_SIGNED.equals(format.getEncoding())
                    && format.getSampleSizeInBits() == 16
                    && format.getChannels() == 1;
            if (!linear16Mono) {
                throw new IllegalStateException("FreeTTS produced unexpected audio: " + format);
            }
            short[] samples = new short[bytes.size() / 2];
            ByteBuffer.wrap(bytes.toByteArray())
                    .order(format.isBigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN)
                    .asShortBuffer()
                    .get(samples);
            return new Capture(samples, Math.round(format.getSampleRate()));
        }

        @Override
        public synchronized void setAudioFormat(AudioFormat format) {
            this.format = format;
        }

        @Override
        public synchronized AudioFormat getAudioFormat() {
            return format;
        }

        @Override
        public synchronized boolean write(byte[] audio) {
            return write(audio, 0, audio.length);
        }

        @Override
        public synchronized boolean write(byte[] audio, int offset, int length) {
            bytes.write(audio, offset, length);
            return true;
        }

        @Override
        public synchronized float getVolume() {
            return volume;
        }

        @Override
        public synchronized void setVolume(float volume) {
            this.volume = volume;
        }

        @Override
        public void begin(int size) {
        }

        @Override
        public boolean end() {
            return true;
        }

        @Override
        public boolean drain() {
            return true;
        }

        @Override
        public void pause() {
        }

        @Override
        public void resume() {
        }

        @Override
        public void reset() {
        }

        @Override
        public void cancel() {
        }

        @Override
        public void close() {
        }

        @Override
        public long getTime() {
            return 0;
        }

        @Override
        public void resetTime() {
        }

        @Override
        public void startFirstSampleTimer() {
        }

        @Override
        public void showMetrics() {
        }
    }
}
