package parley.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import parley.audio.MuLaw;
import parley.audio.OfflineVoice;
import parley.audio.PhoneAudioUpsampler;
import parley.hearing.SmartTurnModel;
import parley.hearing.WhisperFeatures;

/**
 * What asking Smart Turn costs per call, on one thread, for a turn of 8 s (the most the model hears; a shorter
 * turn costs the same, since it is padded to 8 s): the Whisper features alone, the phone audio's upsampling
 * with them, and the whole question (upsampling, features and the model's inference).
 *
 * <p>Run it with {@code ./mvnw -q test-compile exec:exec@turn-model-bench}; JMH options can be given to
 * {@code main}, e.g. {@code -Dexec.args="-classpath %classpath parley.bench.TurnModelBenchmark -f 3"}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class TurnModelBenchmark {

    private SmartTurnModel model;
    private WhisperFeatures features;
    private PhoneAudioUpsampler upsampler;
    private float[] phone;
    private float[] wideband;
    private float[] output;

    /** Speech through a mu-law round trip, as a call would deliver it, repeated to fill 8 s. */
    @Setup(Level.Trial)
    public void setUp() {
        model = SmartTurnModel.load();
        features = new WhisperFeatures();
        upsampler = new PhoneAudioUpsampler();
        short[] speech;
        try (OfflineVoice voice = new OfflineVoice()) {
            speech = MuLaw.decode(MuLaw.encode(voice.speakPcm8k(
                    "Hello, this is Parley calling about your delivery schedule for next week. "
                            + "Would Tuesday morning work for you, or should we say Wednesday?")));
        }
        phone = new float[SmartTurnModel.HEARD];
        for (int i = 0; i < phone.length; i++) {
            phone[i] = speech[i % speech.length] / 32768f;
        }
        wideband = upsampler.upsample(phone, phone.length);
        output = new float[WhisperFeatures.SIZE];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
    }

    @Benchmark
    public float[] features() {
        features.compute(wideband, 0, output);
        return output;
    }

    @Benchmark
    public float[] upsampleAndFeatures() {
        upsampler.upsample(phone, phone.length, 0, wideband, 0);
        features.compute(wideband, 0, output);
        return output;
    }

    @Benchmark
    public float completeProbability() {
        return model.completeProbability(phone, phone.length);
    }

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        new Runner(new OptionsBuilder().parent(new CommandLineOptions(args))
                .include(TurnModelBenchmark.class.getName()).build()).run();
    }
}
