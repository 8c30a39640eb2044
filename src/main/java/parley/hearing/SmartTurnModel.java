package parley.hearing;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import parley.audio.PhoneAudioUpsampler;

/**
 * Smart Turn v3.2, Pipecat's end-of-turn model (BSD 2-Clause): a Whisper-tiny encoder with a classifier head,
 * int8, that hears the last 8 s of a turn and gives the probability that the speaker has finished.
 *
 * <p>It hears as Pipecat's {@code LocalSmartTurnAnalyzerV3} does: the phone audio is brought to 16 kHz
 * ({@link PhoneAudioUpsampler}), the last 8 s are kept, a shorter turn is preceded by silence up to 8 s, and
 * the model reads the {@link WhisperFeatures} of that. The model ships in Parley's jar; the build fetches it
 * (src/build/fetch-turn-model.sh) with its licence, {@code models/smart-turn-v3.2-cpu.LICENSE}.
 *
 * <p>Thread safety: any number of threads may ask at once; onnxruntime's {@code OrtSession.run} is
 * thread-safe, and each run borrows its own buffers. {@link #close()} waits for runs in progress and fails
 * later ones.
 */
public final class SmartTurnModel implements TurnModel, AutoCloseable {

    public static final int PHONE_RATE = PhoneAudioUpsampler.INPUT_RATE;
    /** How much of a turn the model hears, in phone samples: its last 8 s. */
    public static final int HEARD = 8 * PHONE_RATE;

    static final String RESOURCE = "models/smart-turn-v3.2-cpu.onnx";

    private static final String INPUT = "input_features";
    private static final long[] SHAPE = {1, WhisperFeatures.MELS, WhisperFeatures.FRAMES};

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String output;
    /** Buffers a run borrows and gives back; the pool holds as many as runs have ever overlapped. */
    private final ConcurrentLinkedQueue<Scratch> scratches = new ConcurrentLinkedQueue<>();
    /** Runs share the read side; closing takes the write side, so the native session is never freed under a run. */
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    /**
     * Loads the model the Maven build put on the classpath.
     *
     * @throws IllegalStateException if the model is not there, saying how to get it
     */
    public static SmartTurnModel load() {
        return load(SmartTurnModel.class.getClassLoader());
    }

    static SmartTurnModel load(ClassLoader classLoader) {
        return new SmartTurnModel(OnnxModels.bundled(classLoader, RESOURCE, "Smart Turn", "fetch-turn-model.sh"));
    }

    /** Loads the model from a file, e.g. one extracted from the pipecat-ai wheel by hand. */
    public static SmartTurnModel load(Path model) {
        try {
            return new SmartTurnModel(Files.readAllBytes(model));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the Smart Turn model " + model, e);
        }
    }

    /**
     * @throws IllegalArgumentException if the bytes are not a model that reads {@code input_features} of
     *     [batch, 80, 800] and gives one probability per batch row
     */
    public SmartTurnModel(byte[] model) {
        Objects.requireNonNull(model, "model");
        OrtSession created = null;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // One call's inference is a few tens of milliseconds of sequential work; splitting it across the
            // machine's cores would make concurrent calls fight over them. The parallelism that pays is across
            // calls, on the callers' own threads.
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            created = env.createSession(model, options);
            output = requireSignature(created);
            session = created;
        } catch (OrtException | IllegalArgumentException e) {
            throw OnnxModels.unusable("Smart Turn", created, e);
        }
    }

    @Override
    public float completeProbability(float[] phoneAudio, int length) {
        requireAudio(phoneAudio, length);
        int heard = Math.min(length, HEARD);
        int silence = WhisperFeatures.SAMPLES - 2 * heard;
        return run(scratch -> {
            Arrays.fill(scratch.wideband, 0, silence, 0f);
            scratch.upsampler.upsample(phoneAudio, length, length - heard, scratch.wideband, silence);
            scratch.features.compute(scratch.wideband, 0, scratch.featureValues);
            return scratch.featureValues;
        });
    }

    /** As {@link #completeProbability}, for audio already at 16 kHz: the model's own rate, nothing resampled. */
    float completeProbabilityWideband(float[] audio16k, int length) {
        requireAudio(audio16k, length);
        int heard = Math.min(length, WhisperFeatures.SAMPLES);
        int silence = WhisperFeatures.SAMPLES - heard;
        return run(scratch -> {
            Arrays.fill(scratch.wideband, 0, silence, 0f);
            System.arraycopy(audio16k, length - heard, scratch.wideband, silence, heard);
            scratch.features.compute(scratch.wideband, 0, scratch.featureValues);
            return scratch.featureValues;
        });
    }

    /** The model's probability for features computed elsewhere ([80][800], mel by mel). */
    float completeProbabilityOfFeatures(float[] features) {
        if (features.length != WhisperFeatures.SIZE) {
            throw new IllegalArgumentException("Smart Turn reads " + WhisperFeatures.SIZE + " features, not "
                    + features.length);
        }
        return run(scratch -> features);
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
            session.close();
            scratches.clear();
        } catch (OrtException e) {
            throw new IllegalStateException("Could not close the Smart Turn session", e);
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private float run(FeatureMaker featureMaker) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("SmartTurnModel is closed");
            }
            Scratch scratch = scratches.poll();
            if (scratch == null) {
                scratch = new Scratch();
            }
            try {
                FloatBuffer input = scratch.input.clear();
                input.put(featureMaker.features(scratch)).flip();
                try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, SHAPE);
                     OrtSession.Result result = session.run(Map.of(INPUT, tensor))) {
                    float[][] probability = (float[][]) result.get(output).orElseThrow().getValue();
                    return probability[0][0];
                }
            } finally {
                scratches.offer(scratch);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("Smart Turn failed to judge a turn", e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private static void requireAudio(float[] audio, int length) {
        Objects.requireNonNull(audio, "audio");
        if (length < 0 || length > audio.length) {
            throw new IllegalArgumentException("length " + length + " is outside the " + audio.length
                    + " samples given");
        }
    }

    /** The output's name, once the model is known to read [n, 80, 800] features and give [n, 1]. */
    private static String requireSignature(OrtSession session) throws OrtException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        boolean fits = inputs.size() == 1 && outputs.size() == 1
                && inputs.get(INPUT) != null
                && inputs.get(INPUT).getInfo() instanceof TensorInfo in
                && Arrays.equals(Arrays.copyOfRange(in.getShape(), 1, 3), Arrays.copyOfRange(SHAPE, 1, 3))
                && outputs.values().iterator().next().getInfo() instanceof TensorInfo out
                && out.getShape().length == 2 && out.getShape()[1] == 1;
        if (!fits) {
            throw new IllegalArgumentException("Not a Smart Turn v3 model: its inputs are " + inputs.values()
                    + " and outputs " + outputs.values() + "; expected one input " + INPUT
                    + " of [batch, 80, 800] and one output of [batch, 1]");
        }
        return outputs.keySet().iterator().next();
    }

    /** Fills a borrowed scratch with the features of one run and returns them. */
    @FunctionalInterface
    private interface FeatureMaker {
        float[] features(Scratch scratch);
    }

    /** One run's buffers; the input is direct and in native order, so onnxruntime reads it in place. */
    private static final class Scratch {

        final PhoneAudioUpsampler upsampler = new PhoneAudioUpsampler();
        final WhisperFeatures features = new WhisperFeatures();
        final float[] wideband = new float[WhisperFeatures.SAMPLES];
        final float[] featureValues = new float[WhisperFeatures.SIZE];
        final FloatBuffer input = ByteBuffer.allocateDirect(WhisperFeatures.SIZE * Float.BYTES)
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }
}
