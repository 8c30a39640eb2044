package parley.bench;

import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import parley.hearing.EndOfTurn;
import parley.telephony.BadFrameException;
import parley.telephony.StreamCodec;
import parley.telephony.StreamEvent;

/**
 * What the per-frame pieces outside the model cost: reading one of Twilio's media frames (50 a second per
 * call), writing one of Parley's (50 a second per speaking call), and judging the end of a turn from the words
 * heard so far (once per scored window while the caller is silent).
 *
 * <p>Run it with {@code ./mvnw -q test-compile exec:exec@frame-bench}; JMH options can be given to {@code main}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Thread)
public class FrameBenchmark {

    /** A media frame as Twilio sends it: 20 ms of mu-law, 160 bytes. */
    private final String twilioMedia = "{\"event\":\"media\",\"sequenceNumber\":\"1234\",\"media\":{\"track\":\"inbound\","
            + "\"chunk\":\"1233\",\"timestamp\":\"24660\",\"payload\":\"" + Base64.getEncoder().encodeToString(speechLike())
            + "\"},\"streamSid\":\"MZ18ad3ab5a668481ce02b83e7395059f0\"}";
    private final StreamCodec.Writer writer = new StreamCodec.Writer("MZ18ad3ab5a668481ce02b83e7395059f0");
    private final byte[] agentAudio = speechLike();
    private final EndOfTurn endOfTurn = new EndOfTurn(new EndOfTurn.Waits(400, 1500, 800));
    private final List<String> words = List.of("We", "do", "maybe", "forty", "deliveries", "a", "week,", "planned",
            "in", "a", "spreadsheet.");

    @Benchmark
    public StreamEvent readTwilioMedia() throws BadFrameException {
        return StreamCodec.read(twilioMedia);
    }

    @Benchmark
    public String writeParleyMedia() {
        return writer.media(agentAudio, 0, agentAudio.length);
    }

    @Benchmark
    public EndOfTurn.Decision judgeEndOfTurn() {
        return endOfTurn.decide(words);
    }

    private static byte[] speechLike() {
        byte[] audio = new byte[160];
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (byte) (0x7f - (i * 37 % 64));
        }
        return audio;
    }

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        new Runner(new org.openjdk.jmh.runner.options.OptionsBuilder().parent(new CommandLineOptions(args))
                .include(FrameBenchmark.class.getSimpleName()).build()).run();
    }
}
