package parley.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

class OfflineVoiceTest {

    private static final String SENTENCE = "Hello, this is Parley calling about your delivery schedule.";
    private static final List<String> TEXTS = List.of(
            SENTENCE,
            "Would Tuesday morning work for you?",
            "Thanks, goodbye.",
            "Your order number is four five six.");
    private static final String VOICES_PROPERTY = "freetts.voices";
    private static final String KEVIN = "com.sun.speech.freetts.en.us.cmu_us_kal.KevinVoiceDirectory";

    /** 5 ms at 8 kHz. */
    private static final int WINDOW = 40;
    /** About -50 dBFS: above FreeTTS's silence floor, below any speech sound. */
    private static final double AUDIBLE_RMS = 100;

    private static OfflineVoice voice;

    @BeforeAll
    static void allocate() {
        voice = new OfflineVoice();
    }

    @AfterAll
    static void release() {
        voice.close();
    }

    @Test
    void speaksTheSentenceAsAudibleSpeech() {
        short[] pcm = voice.speakPcm8k(SENTENCE);

        double seconds = pcm.length / 8000.0;
        assertThat(seconds).isBetween(1.5, 6.0);
        assertThat(rms(pcm, 0, pcm.length)).isGreaterThan(1000.0);
        int loudWindows = 0;
        for (int start = 0; start + WINDOW <= pcm.length; start += WINDOW) {
            if (rms(pcm, start, start + WINDOW) > 1000) {
                loudWindows++;
            }
        }
        assertThat(loudWindows * WINDOW / (double) pcm.length).as("share of clearly voiced audio").isGreaterThan(0.5);
    }

    @Test
    void startsSpeakingAtOnceAndStopsSoonAfterTheLastWord() {
        short[] pcm = voice.speakPcm8k(SENTENCE);

        int firstAudible = -1;
        int lastAudibleEnd = -1;
        for (int start = 0; start + WINDOW <= pcm.length; start += WINDOW) {
            if (rms(pcm, start, start + WINDOW) > AUDIBLE_RMS) {
                firstAudible = firstAudible < 0 ? start : firstAudible;
                lastAudibleEnd = start + WINDOW;
            }
        }
        assertThat(firstAudible / 8.0).as("leading silence, ms").isBetween(5.0, 30.0);
        assertThat((pcm.length - lastAudibleEnd) / 8.0).as("trailing silence, ms").isBetween(20.0, 60.0);
    }

    @Test
    void trimKeeps20MsBeforeAndFiftyMsAfterTheSpeech() {
        short[] pcm = quietNoise(8000);
        addTone(pcm, 2400, 5600);

        assertThat(OfflineVoice.trimSilence(pcm)).isEqualTo(Arrays.copyOfRange(pcm, 2400 - 160, 5600 + 400));
    }

    @Test
    void trimStopsAtTheEdgesAndDropsAllSilentAudio() {
        short[] pcm = quietNoise(4000);
        addTone(pcm, 80, 3900);

        assertThat(OfflineVoice.trimSilence(pcm)).isEqualTo(pcm);
        assertThat(OfflineVoice.trimSilence(quietNoise(4000))).isEmpty();
    }

    @Test
    void muLawDecodesBackCloseToThePcm() {
        short[] pcm = voice.speakPcm8k(SENTENCE);
        byte[] ulaw = voice.speakMuLaw(SENTENCE);

        assertThat(ulaw).hasSameSizeAs(pcm);
        short[] decoded = MuLaw.decode(ulaw);
        double signal = 0;
        double noise = 0;
        for (int i = 0; i < pcm.length; i++) {
            int segment = (~ulaw[i] >> 4) & 0x07;
            assertThat(Math.abs(decoded[i] - pcm[i])).as("sample %d", i).isLessThanOrEqualTo(4 << segment);
            signal += (double) pcm[i] * pcm[i];
            noise += (double) (decoded[i] - pcm[i]) * (decoded[i] - pcm[i]);
        }
        assertThat(10 * Math.log10(signal / noise)).as("SNR, dB").isGreaterThan(30.0);
    }

    @Test
    void isDeterministicSoRepeatedTextGivesIdenticalAudio() {
        short[] first = voice.speakPcm8k(SENTENCE);
        short[] other = voice.speakPcm8k(TEXTS.get(1));
        short[] again = voice.speakPcm8k(SENTENCE);

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void concurrentCallersEachGetTheirOwnSpeech() throws Exception {
        List<short[]> expected = new ArrayList<>();
        for (String text : TEXTS) {
            expected.add(voice.speakPcm8k(text));
        }
        int threads = 4;
        int rounds = 20;
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Callable<List<short[]>>> callers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            callers.add(() -> {
                start.await();
                List<short[]> spoken = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    spoken.add(voice.speakPcm8k(TEXTS.get((offset + round) % TEXTS.size())));
                }
                return spoken;
            });
        }

        List<Future<List<short[]>>> results = runAll(callers);

        for (int t = 0; t < threads; t++) {
            List<short[]> spoken = results.get(t).get();
            for (int round = 0; round < rounds; round++) {
                int text = (t + round) % TEXTS.size();
                assertThat(spoken.get(round)).as("thread %d round %d", t, round).isEqualTo(expected.get(text));
            }
        }
    }

    @Test
    void anInterruptedCallerLeavesTheNextUtteranceIntact() {
        short[] expected = voice.speakPcm8k(TEXTS.get(1));
        try {
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> voice.speakPcm8k(SENTENCE))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Interrupted");
            assertThat(Thread.currentThread().isInterrupted()).as("interrupt flag kept").isTrue();
        } finally {
            Thread.interrupted();
        }

        assertThat(voice.speakPcm8k(TEXTS.get(1))).isEqualTo(expected);
    }

    @Test
    void separateInstancesSpeakInParallel() throws Exception {
        short[] expected = voice.speakPcm8k(SENTENCE);
        try (OfflineVoice second = new OfflineVoice(); OfflineVoice third = new OfflineVoice()) {
            CyclicBarrier start = new CyclicBarrier(2);
            List<Callable<List<short[]>>> callers = new ArrayList<>();
            for (OfflineVoice instance : List.of(second, third)) {
                callers.add(() -> {
                    start.await();
                    List<short[]> spoken = new ArrayList<>();
                    for (int round = 0; round < 20; round++) {
                        spoken.add(instance.speakPcm8k(SENTENCE));
                    }
                    return spoken;
                });
            }
            for (Future<List<short[]>> result : runAll(callers)) {
                assertThat(result.get()).allSatisfy(spoken -> assertThat(spoken).isEqualTo(expected));
            }
        }
    }

    @Test
    void textWithoutSpeechGivesNoAudio() {
        assertThat(voice.speakPcm8k("")).isEmpty();
        assertThat(voice.speakPcm8k("...")).isEmpty();
        assertThat(voice.speakMuLaw("")).isEmpty();
    }

    @Test
    void aClosedVoiceRefusesToSpeak() {
        OfflineVoice closing = new OfflineVoice();
        assertThat(closing.speakPcm8k("Yes.")).isNotEmpty();
        closing.close();
        closing.close();

        assertThatThrownBy(() -> closing.speakPcm8k("Yes."))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void registersTheKevinVoicesOnlyWhenNoVoiceDirectoryIsConfigured() {
        String original = System.getProperty(VOICES_PROPERTY);
        try {
            System.clearProperty(VOICES_PROPERTY);
            new OfflineVoice().close();
            assertThat(System.getProperty(VOICES_PROPERTY)).isEqualTo(KEVIN);

            System.setProperty(VOICES_PROPERTY, "com.sun.speech.freetts.en.us.cmu_time_awb.AlanVoiceDirectory");
            assertThatThrownBy(OfflineVoice::new)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(VOICES_PROPERTY)
                    .hasMessageContaining("AlanVoiceDirectory")
                    .hasMessageContaining(KEVIN);
        } finally {
            if (original == null) {
                System.clearProperty(VOICES_PROPERTY);
            } else {
                System.setProperty(VOICES_PROPERTY, original);
            }
        }
    }

    private static <T> List<Future<T>> runAll(List<Callable<T>> tasks) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<T>> futures = pool.invokeAll(tasks, 60, TimeUnit.SECONDS);
            assertThat(futures).noneMatch(Future::isCancelled);
            return futures;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Roughly FreeTTS's floor between words: about 30 RMS. */
    private static short[] quietNoise(int length) {
        Random random = new Random(42);
        short[] pcm = new short[length];
        for (int i = 0; i < length; i++) {
            pcm[i] = (short) (random.nextInt(101) - 50);
        }
        return pcm;
    }

    private static void addTone(short[] pcm, int from, int to) {
        for (int i = from; i < to; i++) {
            pcm[i] += (short) Math.round(3000 * Math.sin(2 * Math.PI * 440 * i / 8000.0));
        }
    }

    private static double rms(short[] pcm, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) pcm[i] * pcm[i];
        }
        return Math.sqrt(sum / (to - from));
    }
}
