package parley.hearing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import parley.audio.MuLaw;
import parley.audio.OfflineVoice;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The caller's side of the pipeline with the real model and synthesized speech: mu-law frames as Twilio sends
 * them, cut into windows, scored by Silero VAD, fed to turn-taking with the default settings. Times are
 * stream times; "decided at" is the end of the window whose score produced the event, the earliest moment
 * Parley could act on it.
 */
class HearingPipelineTest {

    private static SileroVad vad;
    private static OfflineVoice voice;

    @BeforeAll
    static void load() {
        vad = SileroVad.load();
        voice = new OfflineVoice();
    }

    @AfterAll
    static void release() {
        vad.close();
        voice.close();
    }

    /** A call's audio built up piece by piece, with the onset of each spoken piece. */
    private static final class Line {
        final List<short[]> pieces = new ArrayList<>();
        final List<Long> onsets = new ArrayList<>();
        long lengthMs;

        Line silence(long ms) {
            return add(new short[(int) ms * 8]);
        }

        Line speech(String text) {
            return speech(voice.speakPcm8k(text));
        }

        Line speech(short[] pcm) {
            onsets.add(lengthMs + firstLoudSampleMs(pcm));
            return add(pcm);
        }

        Line noise(long ms, long seed) {
            short[] burst = new short[(int) ms * 8];
            Random random = new Random(seed);
            for (int i = 0; i < burst.length; i++) {
                double envelope = Math.sin(Math.PI * i / burst.length);
                burst[i] = (short) (random.nextGaussian() * 6000 * envelope);
            }
            onsets.add(lengthMs);
            return add(burst);
        }

        private Line add(short[] pcm) {
            pieces.add(pcm);
            lengthMs += pcm.length / 8;
            return this;
        }

        byte[] mulaw() {
            short[] all = new short[(int) lengthMs * 8];
            int at = 0;
            for (short[] piece : pieces) {
                System.arraycopy(piece, 0, all, at, piece.length);
                at += piece.length;
            }
            return MuLaw.encode(all);
        }
    }

    private record Decided(HearingEvent event, long decidedAtMs) {
    }

    /** Plays the line through the pipeline in 20 ms frames; {@code agentSpeaking} says when the agent talks. */
    private static List<Decided> hear(Line line, CallerWords words, java.util.function.LongPredicate agentSpeaking,
                                      java.util.function.LongConsumer beforeWindow) {
        TurnDetector turns = new TurnDetector(TurnDetectorTest.DEFAULTS, words);
        CallerEar ear = new CallerEar(vad.newStream());
        List<Decided> decided = new ArrayList<>();
        byte[] audio = line.mulaw();
        for (int offset = 0; offset < audio.length; offset += 160) {
            byte[] frame = Arrays.copyOfRange(audio, offset, Math.min(audio.length, offset + 160));
            long frameStart = offset / 8;
            long frameEnd = frameStart + frame.length / 8;
            float energyDb = ear.hear(frame, frameStart, window -> {
                long start = ear.windowStartMs();
                long end = start + 32;
                beforeWindow.accept(end);
                float p = vad.score(ear.vad(), window);
                VoiceActivity scored = new VoiceActivity(start, end, p, ear.windowEnergyDb());
                for (HearingEvent event : turns.onWindow(scored, agentSpeaking.test(end))) {
                    decided.add(new Decided(event, end));
                }
            });
            for (HearingEvent event : turns.onFrame(frameStart, frameEnd, energyDb, agentSpeaking.test(frameEnd), -100f)) {
                decided.add(new Decided(event, frameEnd));
            }
        }
        return decided;
    }

    private static List<Decided> hear(Line line, boolean agentSpeaking) {
        return hear(line, new CallerWords(), t -> agentSpeaking, t -> { });
    }

    private static <E extends HearingEvent> List<Decided> of(List<Decided> decided, Class<E> type) {
        return decided.stream().filter(d -> type.isInstance(d.event())).toList();
    }

    @Test
    void speechIsDetectedWithinOneHundredMillisecondsOfItsOnset() {
        for (String text : List.of("Hello, who is calling?", "Sure, I have a minute.", "We ship about forty pallets.",
                "Sorry, who is this?", "My name is Jane.")) {
            Line line = new Line().silence(1000);
            long voicedOnset = line.lengthMs + firstVoicedMs(voice.speakPcm8k(text));
            line.speech(text).silence(1500);
            List<Decided> started = of(hear(line, false), HearingEvent.CallerStartedSpeaking.class);
            assertThat(started).as(text).isNotEmpty();
            long decided = started.get(0).decidedAtMs();
            System.out.printf("%-30s detected %3d ms after the voiced onset, %3d ms after the first sound%n",
                    text, decided - voicedOnset, decided - line.onsets.get(0));
            assertThat(decided).as("detected after the first sound").isGreaterThan(line.onsets.get(0));
            assertThat(decided - voicedOnset).as("detection delay for \"%s\"", text).isLessThanOrEqualTo(100L);
            assertThat(((HearingEvent.CallerStartedSpeaking) started.get(0).event()).atMs())
                    .as("the start is dated to the first sound").isBetween(line.onsets.get(0) - 32, line.onsets.get(0) + 32);
        }
    }

    @Test
    void aSixHundredMillisecondPauseMidSentenceDoesNotEndTheTurn() {
        Line line = new Line().silence(800).speech("Our main warehouse is in").silence(600)
                .speech("Denver, Colorado.").silence(2500);
        List<Decided> decided = hear(line, false);
        List<Decided> ended = of(decided, HearingEvent.TurnEnded.class);
        assertThat(ended).as("one turn, ended after the whole sentence").hasSize(1);
        assertThat(ended.get(0).decidedAtMs()).isGreaterThan(line.onsets.get(1));
    }

    @Test
    void talkingOverTheAgentInterruptsWellWithinThreeHundredMilliseconds() {
        Line line = new Line().silence(1000).speech("Sorry, who is this?").silence(500);
        List<Decided> interrupted = of(hear(line, true), HearingEvent.CallerInterrupted.class);
        assertThat(interrupted).hasSize(1);
        long delay = interrupted.get(0).decidedAtMs() - line.onsets.get(0);
        // The minimum, give or take the half frame the onset is known to, plus the frame it is reached in.
        assertThat(delay).as("from onset to the decision to interrupt").isBetween(240L, 280L);
    }

    @Test
    void aCoughDoesNotInterrupt() {
        Line line = new Line().silence(1000).noise(180, 7).silence(300).noise(120, 8).silence(1500);
        List<Decided> decided = hear(line, true);
        assertThat(of(decided, HearingEvent.CallerInterrupted.class)).isEmpty();
        assertThat(of(decided, HearingEvent.TurnEnded.class)).isEmpty();
    }

    @Test
    void quickBackchannelsDoNotInterrupt() {
        try (OfflineVoice brisk = new OfflineVoice(240)) {
            for (String backchannel : List.of("Yeah.", "Sure.")) {
                Line line = new Line().silence(1000);
                line.speech(brisk.speakPcm8k(backchannel)).silence(2500);
                List<Decided> decided = hearWithWords(line, backchannel);
                assertThat(of(decided, HearingEvent.CallerInterrupted.class)).as(backchannel).isEmpty();
                assertThat(of(decided, HearingEvent.TurnEnded.class)).as(backchannel).isEmpty();
            }
        }
    }

    @Test
    void aDrawnOutBackchannelStopsTheAgentOnlyUntilItsWordIsKnown() {
        for (String backchannel : List.of("Uh-huh.", "Okay.", "Mm-hmm.")) {
            Line line = new Line().silence(1000).speech(backchannel).silence(2500);
            long wordKnownAt = line.lengthMs - 2500 + RECOGNIZER_LATENCY_MS;
            List<Decided> decided = hearWithWords(line, backchannel);
            assertThat(of(decided, HearingEvent.CallerInterrupted.class)).as(backchannel).hasSize(1);
            List<Decided> resumed = of(decided, HearingEvent.FalseInterruption.class);
            assertThat(resumed).as(backchannel).hasSize(1);
            long silentAt = of(decided, HearingEvent.CallerStoppedSpeaking.class).get(0).decidedAtMs();
            long canResumeAt = Math.max(wordKnownAt, silentAt);
            assertThat(resumed.get(0).decidedAtMs() - canResumeAt)
                    .as("%s: picks up again once the word is in and the caller is silent", backchannel)
                    .isBetween(0L, 32L);
            assertThat(of(decided, HearingEvent.TurnEnded.class)).as(backchannel).isEmpty();
        }
    }

    /** Words arrive as a streaming recognizer sends them: once the word is over, plus its latency. */
    private static final long RECOGNIZER_LATENCY_MS = 150;

    private static List<Decided> hearWithWords(Line line, String word) {
        CallerWords words = new CallerWords();
        long onset = line.onsets.get(0);
        long wordKnownAt = line.lengthMs - 2500 + RECOGNIZER_LATENCY_MS;
        return hear(line, words, t -> true, t -> {
            if (t >= wordKnownAt && words.since(0).isEmpty()) {
                words.heard(List.of(new CallerWords.Word(word, onset)), true, false, t);
            }
        });
    }

    /**
     * Where voicing starts: the first 10 ms that is audible (above -45 dBFS) and periodic rather than hissy
     * (fewer than one zero crossing in four samples). Unvoiced lead-ins such as "s" and "sh" come before it.
     */
    static long firstVoicedMs(short[] pcm) {
        for (int block = 0; (block + 1) * 80 <= pcm.length; block++) {
            double energy = 0;
            int crossings = 0;
            for (int i = block * 80; i < (block + 1) * 80; i++) {
                energy += (double) pcm[i] * pcm[i];
                if (i > block * 80 && (pcm[i] >= 0) != (pcm[i - 1] >= 0)) {
                    crossings++;
                }
            }
            double db = 10 * Math.log10(energy / 80 / (32768.0 * 32768.0) + 1e-12);
            if (db > -45 && crossings < 20) {
                return block * 10L;
            }
        }
        return 0;
    }

    /** Where sound starts: the first 5 ms above -50 dBFS, the level below which a phone line is quiet. */
    static long firstLoudSampleMs(short[] pcm) {
        for (int block = 0; (block + 1) * 40 <= pcm.length; block++) {
            if (loud(pcm, block)) {
                return block * 5L;
            }
        }
        return 0;
    }

    /** How long the line's audio goes on after its last loud 5 ms: the voice's silent tail. */
    static long silentTailMs(short[] pcm) {
        int blocks = pcm.length / 40;
        for (int block = blocks - 1; block >= 0; block--) {
            if (loud(pcm, block)) {
                return pcm.length / 8 - (block + 1) * 5L;
            }
        }
        return pcm.length / 8;
    }

    private static boolean loud(short[] pcm, int block) {
        double energy = 0;
        for (int i = block * 40; i < (block + 1) * 40; i++) {
            energy += (double) pcm[i] * pcm[i];
        }
        return 10 * Math.log10(energy / 40 / (32768.0 * 32768.0) + 1e-12) > -50;
    }
}
