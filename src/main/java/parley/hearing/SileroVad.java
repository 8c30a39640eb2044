package parley.hearing;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Silero VAD v5: one ONNX session for the process, per-call recurrent state, batched scoring.
 *
 * <p>The model scores 32 ms windows ({@value #WINDOW} samples at {@value #SAMPLE_RATE} Hz, the phone line's own
 * rate, so no resampling) with the probability that they hold speech. It is recurrent: each window's score
 * depends on everything the stream heard before, carried in the model's state and in the last {@value #CONTEXT}
 * samples of the previous window, which the model expects prepended to the next. That memory belongs to one
 * call and lives in a {@link Stream}; the session itself holds nothing per call, so one instance serves every
 * call in the process, and the windows of many calls can be scored in one model run.
 *
 * <p>Samples are floats in [-1, 1): 16-bit PCM divided by 32768.
 *
 * <p>Thread safety: any number of threads may score at once, each with its own streams, since onnxruntime's
 * {@code OrtSession.run} is thread-safe and every buffer a run writes is borrowed by that run alone. A
 * {@code Stream} is not thread-safe: a call's windows must be scored in order, one at a time, because each
 * window's state is the input of the next. {@link #close()} waits for runs in progress and fails later ones.
 */
public final class SileroVad implements AutoCloseable {

    public static final int SAMPLE_RATE = 8000;
    public static final int WINDOW = 256;
    public static final int CONTEXT = 32;

    static final String RESOURCE = "models/silero_vad_v5.onnx";

    private static final int ROW = CONTEXT + WINDOW;
    /** Per stream, the model carries two vectors of 128 (its LSTM's hidden and cell state). */
    private static final int STATE_WIDTH = 128;
    private static final int STATE = 2 * STATE_WIDTH;
    private static final String INPUT = "input";
    private static final String STATE_IN = "state";
    private static final String RATE = "sr";
    private static final String OUTPUT = "output";
    private static final String STATE_OUT = "stateN";

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    /** Read-only for every run, so one tensor is shared by all of them. */
    private final OnnxTensor sampleRate;
    /**
     * Scratch buffers a run borrows and gives back. They are direct and in native order, so onnxruntime reads
     * the inputs and writes the outputs in place, without copying; the pool holds as many as runs have ever
     * overlapped.
     */
    private final ConcurrentLinkedQueue<Scratch> scratches = new ConcurrentLinkedQueue<>();
    /** Runs share the read side; closing takes the write side, so the native session is never freed under a run. */
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    /**
     * Loads the model the Maven build put on the classpath.
     *
     * @throws IllegalStateException if the model is not there, saying how to get it
     */
    public static SileroVad load() {
        return load(SileroVad.class.getClassLoader());
    }

    static SileroVad load(ClassLoader classLoader) {
        return new SileroVad(OnnxModels.bundled(classLoader, RESOURCE, "Silero VAD", "fetch-vad-model.sh"));
    }

    /**
     * @throws IllegalArgumentException if the bytes are not a model with Silero VAD v5's inputs and outputs
     */
    public SileroVad(byte[] model) {
        Objects.requireNonNull(model, "model");
        OrtSession created = null;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // A window is too little work to split across threads: handing it over would cost more than it
            // saves. The parallelism that pays is across calls, on the callers' own threads.
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            created = env.createSession(model, options);
            requireSignature(created);
            sampleRate = OnnxTensor.createTensor(env, (long) SAMPLE_RATE);
            session = created;
        } catch (OrtException | IllegalArgumentException e) {
            throw OnnxModels.unusable("Silero VAD", created, e);
        }
    }

    /** A new call's memory: nothing heard yet. */
    public Stream newStream() {
        return new Stream();
    }

    /** Scores the stream's next window; the stream's state advances. */
    public float score(Stream stream, float[] window256) {
        Objects.requireNonNull(stream, "stream");
        requireWindow(window256, 0);
        return run(List.of(stream), List.of(window256))[0];
    }

    /**
     * Scores the next window of each stream in one model run: {@code windows256.get(i)} belongs to
     * {@code streams.get(i)}, and result {@code i} is its speech probability. Each stream advances exactly as
     * if it had been scored alone (the same figures within float rounding). A stream may appear only once;
     * if the run fails, no stream advances.
     */
    public float[] score(List<Stream> streams, List<float[]> windows256) {
        Objects.requireNonNull(streams, "streams");
        Objects.requireNonNull(windows256, "windows256");
        if (streams.size() != windows256.size()) {
            throw new IllegalArgumentException(
                    streams.size() + " streams but " + windows256.size() + " windows: they must pair up");
        }
        if (streams.isEmpty()) {
            return new float[0];
        }
        for (int i = 0; i < streams.size(); i++) {
            Objects.requireNonNull(streams.get(i), "stream " + i);
            requireWindow(windows256.get(i), i);
        }
        return run(streams, windows256);
    }

    /** Frees the native session once runs in progress have finished. Idempotent. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            sampleRate.close();
            session.close();
            scratches.clear();
        } catch (OrtException e) {
            throw new IllegalStateException("Could not close the Silero VAD session", e);
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private float[] run(List<Stream> streams, List<float[]> windows) {
        int batch = streams.size();
        claim(streams);
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("SileroVad is closed");
            }
            Scratch scratch = borrow(batch);
            try {
                return infer(scratch, streams, windows);
            } finally {
                scratches.offer(scratch);
            }
        } finally {
            lifecycle.readLock().unlock();
            for (int i = 0; i < batch; i++) {
                streams.get(i).claimed = false;
            }
        }
    }

    private float[] infer(Scratch scratch, List<Stream> streams, List<float[]> windows) {
        int batch = streams.size();
        FloatBuffer input = scratch.input.clear();
        FloatBuffer stateIn = scratch.stateIn.clear();
        for (int b = 0; b < batch; b++) {
            Stream stream = streams.get(b);
            input.put(stream.context).put(windows.get(b));
            // The model's state is [2, batch, 128]: each stream's two vectors sit a whole batch apart.
            stateIn.put(b * STATE_WIDTH, stream.state, 0, STATE_WIDTH);
            stateIn.put((batch + b) * STATE_WIDTH, stream.state, STATE_WIDTH, STATE_WIDTH);
        }
        input.flip();
        stateIn.limit(batch * STATE);
        FloatBuffer output = scratch.output.clear().limit(batch);
        FloatBuffer stateOut = scratch.stateOut.clear().limit(batch * STATE);
        try (OnnxTensor inputTensor = OnnxTensor.createTensor(env, input, new long[] {batch, ROW});
             OnnxTensor stateTensor = OnnxTensor.createTensor(env, stateIn, new long[] {2, batch, STATE_WIDTH});
             OnnxTensor outputTensor = OnnxTensor.createTensor(env, output, new long[] {batch, 1});
             OnnxTensor stateOutTensor = OnnxTensor.createTensor(env, stateOut, new long[] {2, batch, STATE_WIDTH});
             OrtSession.Result ignored = session.run(
                     Map.of(INPUT, inputTensor, STATE_IN, stateTensor, RATE, sampleRate),
                     Map.of(OUTPUT, outputTensor, STATE_OUT, stateOutTensor))) {
            float[] probabilities = new float[batch];
            for (int b = 0; b < batch; b++) {
                Stream stream = streams.get(b);
                probabilities[b] = output.get(b);
                stateOut.get(b * STATE_WIDTH, stream.state, 0, STATE_WIDTH);
                stateOut.get((batch + b) * STATE_WIDTH, stream.state, STATE_WIDTH, STATE_WIDTH);
                System.arraycopy(windows.get(b), WINDOW - CONTEXT, stream.context, 0, CONTEXT);
            }
            return probabilities;
        } catch (OrtException e) {
            throw new IllegalStateException("Silero VAD failed to score " + batch + " window(s)", e);
        }
    }

    /** Marks the streams as being scored, so that one listed twice is refused before anything changes. */
    private static void claim(List<Stream> streams) {
        for (int i = 0; i < streams.size(); i++) {
            Stream stream = streams.get(i);
            if (stream.claimed) {
                for (int j = 0; j < i; j++) {
                    streams.get(j).claimed = false;
                }
                throw new IllegalArgumentException("Stream " + i + " is already being scored: a stream may appear "
                        + "only once in a batch, and only one thread at a time may score it");
            }
            stream.claimed = true;
        }
    }

    private Scratch borrow(int batch) {
        Scratch scratch = scratches.poll();
        if (scratch != null && scratch.capacity >= batch) {
            return scratch;
        }
        // Rounded up to a power of two, so that a batch growing by one call at a time reallocates rarely.
        int capacity = Integer.highestOneBit(batch);
        return new Scratch(capacity < batch ? capacity << 1 : capacity);
    }

    private static void requireWindow(float[] window, int index) {
        if (window == null) {
            throw new NullPointerException("window " + index);
        }
        if (window.length != WINDOW) {
            throw new IllegalArgumentException(
                    "window " + index + " has " + window.length + " samples; Silero VAD at 8 kHz takes " + WINDOW);
        }
    }

    private static void requireSignature(OrtSession session) throws OrtException {
        Set<String> inputs = session.getInputNames();
        Set<String> outputs = session.getOutputNames();
        if (!inputs.equals(Set.of(INPUT, STATE_IN, RATE)) || !outputs.equals(Set.of(OUTPUT, STATE_OUT))) {
            throw new IllegalArgumentException("Not a Silero VAD v5 model: its inputs are " + inputs
                    + " and outputs " + outputs + "; expected inputs [input, state, sr] and outputs [output, stateN]");
        }
    }

    /** One call's memory of what it has heard. Not thread-safe; see {@link SileroVad}. */
    public static final class Stream {

        /** Laid out as the model's two vectors one after the other. */
        private final float[] state = new float[STATE];
        private final float[] context = new float[CONTEXT];
        private boolean claimed;
        /** Windows of this stream waiting in a {@link VadBatcher}: bounded, so one call cannot flood the scorer. */
        final AtomicInteger waiting = new AtomicInteger();

        private Stream() {
        }

        /** Forgets everything heard: the next window is scored as the start of new audio. */
        public void reset() {
            Arrays.fill(state, 0f);
            Arrays.fill(context, 0f);
        }
    }

    /** Buffers for runs of up to {@code capacity} streams. */
    private static final class Scratch {

        final int capacity;
        final FloatBuffer input;
        final FloatBuffer stateIn;
        final FloatBuffer output;
        final FloatBuffer stateOut;

        Scratch(int capacity) {
            this.capacity = capacity;
            input = direct(capacity * ROW);
            stateIn = direct(capacity * STATE);
            output = direct(capacity);
            stateOut = direct(capacity * STATE);
        }

        private static FloatBuffer direct(int floats) {
            return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
    }
}
