package parley.hearing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import parley.audio.MuLaw;
import parley.audio.OfflineVoice;
import parley.hearing.SileroVad.Stream;

class SileroVadTest {

    private static final int SAMPLES_PER_MS = SileroVad.SAMPLE_RATE / 1000;
    /** Silence on either side of the speech: about a second, a whole number of windows. */
    private static final int SILENCE_WINDOWS = 31;
    /** 10 ms blocks louder than about -50 dBFS count as speech; the line noise around it is near -64 dBFS. */
    private static final int BLOCK = 10 * SAMPLES_PER_MS;
    private static final double SPEECH_RMS = 100;
    private static final double LINE_NOISE_RMS = 20;

    private static SileroVad vad;
    private static Fixture hello;
    private static Fixture tuesday;
    private static Fixture quiet;

    @BeforeAll
    static void setUp() {
        vad = SileroVad.load();
        try (OfflineVoice voice = new OfflineVoice()) {
            hello = Fixture.of(voice.speakPcm8k("Hello, this is a test of the voice activity detector."), 1);
            tuesday = Fixture.of(voice.speakPcm8k("Would Tuesday morning work for you?"), 2);
        }
        quiet = Fixture.of(new short[0], 3);
    }

    @AfterAll
    static void tearDown() {
        vad.close();
    }

    @Test
    void detectsSpeechWithin100MsOfItsOnset() {
        assertThat(hello.onsetMs()).as("speech onset found after the leading silence, ms").isBetween(990.0, 1050.0);
        float[] scores = scoreAlone(hello);

        int first = firstAtOrAbove(scores, 0.5f);
        assertThat(first).as("some window scores as speech").isNotNegative();
        double decidedMs = (first + 1) * SileroVad.WINDOW / (double) SAMPLES_PER_MS;
        assertThat(decidedMs - hello.onsetMs()).as("ms from speech onset to the end of the first speech window")
                .isBetween(0.0, 100.0);
    }

    @Test
    void scoresMostOfTheSpeechAsSpeech() {
        float[] scores = scoreAlone(hello);

        int from = hello.onsetSample() / SileroVad.WINDOW;
        int to = hello.endSample() / SileroVad.WINDOW;
        long voiced = countAtOrAbove(Arrays.copyOfRange(scores, from, to), 0.5f);
        assertThat(voiced / (double) (to - from)).as("share of the speech's windows scored >= 0.5").isGreaterThan(0.8);
    }

    @Test
    void keepsSilenceBeforeAndAfterTheSpeechLow() {
        float[] scores = scoreAlone(hello);

        int onsetWindow = hello.onsetSample() / SileroVad.WINDOW;
        assertThat(max(Arrays.copyOfRange(scores, 0, onsetWindow))).as("before the speech").isLessThan(0.1f);
        // The model's memory of the last word fades within a few windows.
        int quietAgain = hello.endSample() / SileroVad.WINDOW + 8;
        assertThat(max(Arrays.copyOfRange(scores, quietAgain, scores.length))).as("after the speech")
                .isLessThan(0.1f);
        assertThat(max(scoreAlone(quiet))).as("line noise alone").isLessThan(0.1f);
    }

    @Test
    void batchedScoringMatchesScoringEachStreamAlone() {
        List<Fixture> fixtures = List.of(hello, tuesday, quiet);
        List<Stream> streams = List.of(vad.newStream(), vad.newStream(), vad.newStream());
        int windows = fixtures.stream().mapToInt(Fixture::windowCount).min().orElseThrow();
        float[][] batched = new float[3][windows];

        for (int w = 0; w < windows; w++) {
            // A different order at every step: a stream's memory must follow the stream, not its place in the batch.
            List<Integer> order = List.of(w % 3, (w + 1) % 3, (w + 2) % 3);
            List<Stream> batchStreams = new ArrayList<>();
            List<float[]> batchWindows = new ArrayList<>();
            for (int i : order) {
                batchStreams.add(streams.get(i));
                batchWindows.add(fixtures.get(i).window(w));
            }
            float[] scores = vad.score(batchStreams, batchWindows);
            for (int k = 0; k < 3; k++) {
                batched[order.get(k)][w] = scores[k];
            }
        }

        for (int i = 0; i < 3; i++) {
            float[] alone = Arrays.copyOf(scoreAlone(fixtures.get(i)), windows);
            for (int w = 0; w < windows; w++) {
                assertThat(batched[i][w]).as("stream %d window %d", i, w).isCloseTo(alone[w], within(1e-4f));
            }
        }
        assertThat(max(batched[0])).as("speech heard in a batch").isGreaterThanOrEqualTo(0.5f);
        assertThat(max(batched[1])).as("other speech heard in a batch").isGreaterThanOrEqualTo(0.5f);
        assertThat(max(batched[2])).as("silence batched with speech").isLessThan(0.1f);
    }

    @Test
    void resetMakesAStreamScoreLikeANewOne() {
        float[] fresh = scoreAlone(tuesday);

        Stream stream = vad.newStream();
        int midSpeech = hello.onsetSample() / SileroVad.WINDOW + 10;
        for (int w = 0; w < midSpeech; w++) {
            vad.score(stream, hello.window(w));
        }
        Stream unreset = vad.newStream();
        for (int w = 0; w < midSpeech; w++) {
            vad.score(unreset, hello.window(w));
        }
        stream.reset();

        assertThat(score(stream, tuesday)).containsExactly(fresh);
        assertThat(vad.score(unreset, tuesday.window(0))).as("without a reset, the speech heard lingers")
                .isNotEqualTo(fresh[0]);
    }

    @Test
    void threadsScoringTheirOwnCallsDoNotDisturbEachOther() throws Exception {
        List<Fixture> fixtures = List.of(hello, tuesday, quiet, hello);
        List<float[]> expected = fixtures.stream().map(SileroVadTest::scoreAlone).toList();
        CyclicBarrier start = new CyclicBarrier(fixtures.size());
        List<Callable<List<float[]>>> calls = new ArrayList<>();
        for (Fixture fixture : fixtures) {
            calls.add(() -> {
                start.await();
                Stream stream = vad.newStream();
                List<float[]> rounds = new ArrayList<>();
                for (int round = 0; round < 5; round++) {
                    stream.reset();
                    rounds.add(score(stream, fixture));
                }
                return rounds;
            });
        }

        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            List<Future<List<float[]>>> results = pool.invokeAll(calls, 30, TimeUnit.SECONDS);
            for (int t = 0; t < calls.size(); t++) {
                float[] reference = expected.get(t);
                assertThat(results.get(t).get()).as("thread %d", t)
                        .allSatisfy(scores -> assertThat(scores).containsExactly(reference));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aMissingModelSaysHowToGetIt() {
        ClassLoader withoutModel = new URLClassLoader(new URL[0], null);

        assertThatThrownBy(() -> SileroVad.load(withoutModel))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("models/silero_vad_v5.onnx")
                .hasMessageContaining("src/build/fetch-vad-model.sh")
                .hasMessageContaining("./mvnw -q -DskipTests package");
    }

    @Test
    void refusesBytesThatAreNotTheModel() {
        assertThatThrownBy(() -> new SileroVad("not a model".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Silero VAD");
    }

    @Test
    void refusesWindowsOfTheWrongLength() {
        Stream stream = vad.newStream();

        assertThatThrownBy(() -> vad.score(stream, new float[SileroVad.WINDOW - 1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("255 samples");
        assertThatThrownBy(() -> vad.score(List.of(stream), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pair up");
    }

    @Test
    void refusesAStreamListedTwiceAndLeavesEveryStreamAsItWas() {
        float[] expected = scoreAlone(tuesday);
        Stream once = vad.newStream();
        Stream twice = vad.newStream();
        float[] window = hello.window(hello.onsetSample() / SileroVad.WINDOW + 2);

        assertThatThrownBy(() -> vad.score(List.of(once, twice, twice), List.of(window, window, window)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only once");

        assertThat(score(once, tuesday)).containsExactly(expected);
        assertThat(score(twice, tuesday)).containsExactly(expected);
    }

    @Test
    void aClosedVadRefusesToScore() {
        SileroVad closing = SileroVad.load();
        Stream stream = closing.newStream();
        assertThat(closing.score(stream, quiet.window(0))).isLessThan(0.1f);

        closing.close();
        closing.close();

        assertThatThrownBy(() -> closing.score(stream, quiet.window(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void anEmptyBatchScoresNothing() {
        assertThat(vad.score(List.of(), List.of())).isEmpty();
    }

    private static float[] scoreAlone(Fixture fixture) {
        return score(vad.newStream(), fixture);
    }

    private static float[] score(Stream stream, Fixture fixture) {
        float[] scores = new float[fixture.windowCount()];
        for (int w = 0; w < scores.length; w++) {
            scores[w] = vad.score(stream, fixture.window(w));
        }
        return scores;
    }

    private static int firstAtOrAbove(float[] scores, float threshold) {
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] >= threshold) {
                return i;
            }
        }
        return -1;
    }

    private static long countAtOrAbove(float[] scores, float threshold) {
        long count = 0;
        for (float score : scores) {
            if (score >= threshold) {
                count++;
            }
        }
        return count;
    }

    private static float max(float[] scores) {
        float max = Float.NEGATIVE_INFINITY;
        for (float score : scores) {
            max = Math.max(max, score);
        }
        return max;
    }

    /**
     * Speech between about a second of line noise on each side, as a caller's audio arrives: through a
     * mu-law round trip. The speech's onset and end are found from its energy, in 10 ms blocks.
     */
    private record Fixture(float[] samples, int onsetSample, int endSample) {

        static Fixture of(short[] speech, long noiseSeed) {
            int silence = SILENCE_WINDOWS * SileroVad.WINDOW;
            int padded = silence + speech.length + silence;
            int length = (padded + SileroVad.WINDOW - 1) / SileroVad.WINDOW * SileroVad.WINDOW;
            Random noise = new Random(noiseSeed);
            short[] line = new short[length];
            for (int i = 0; i < length; i++) {
                int sample = (int) Math.round(noise.nextGaussian() * LINE_NOISE_RMS);
                if (i >= silence && i < silence + speech.length) {
                    sample += speech[i - silence];
                }
                line[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, sample));
            }
            short[] heard = MuLaw.decode(MuLaw.encode(line));

            float[] samples = new float[length];
            int onset = -1;
            int end = -1;
            for (int start = 0; start + BLOCK <= length; start += BLOCK) {
                double energy = 0;
                for (int i = start; i < start + BLOCK; i++) {
                    samples[i] = heard[i] / 32768f;
                    energy += (double) heard[i] * heard[i];
                }
                if (Math.sqrt(energy / BLOCK) > SPEECH_RMS) {
                    onset = onset < 0 ? start : onset;
                    end = start + BLOCK;
                }
            }
            for (int i = length / BLOCK * BLOCK; i < length; i++) {
                samples[i] = heard[i] / 32768f;
            }
            return new Fixture(samples, onset, end);
        }

        int windowCount() {
            return samples.length / SileroVad.WINDOW;
        }

        float[] window(int index) {
            return Arrays.copyOfRange(samples, index * SileroVad.WINDOW, (index + 1) * SileroVad.WINDOW);
        }

        double onsetMs() {
            return onsetSample / (double) SAMPLES_PER_MS;
        }
    }
}
