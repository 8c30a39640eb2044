package parley.hearing;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TurnDetectorTest {

    private static final int WINDOW = 32;
    static final TurnDetector.Settings DEFAULTS = new TurnDetector.Settings(0.5f, 0.35f, 150, 200, 250, 1000, 0,
            Set.of("uh-huh", "mm-hmm", "yeah", "right", "okay", "ok", "sure", "yes"),
            new EndOfTurn.Waits(400, 1500, 800));

    private final CallerWords words = new CallerWords();
    private final List<HearingEvent> events = new ArrayList<>();
    private long clock;

    private TurnDetector detector(TurnDetector.Settings settings) {
        return new TurnDetector(settings, words);
    }

    /** Feeds windows of one probability until {@code untilMs}. */
    private void feed(TurnDetector detector, long untilMs, float probability, boolean agentSpeaking) {
        float energyDb = probability >= 0.35f ? -20f : -65f;
        for (; clock + WINDOW <= untilMs; clock += WINDOW) {
            events.addAll(detector.onFrame(clock, clock + WINDOW, energyDb, agentSpeaking));
            events.addAll(detector.onWindow(new VoiceActivity(clock, clock + WINDOW, probability, energyDb),
                    agentSpeaking));
        }
    }

    private <E extends HearingEvent> List<E> of(Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private void say(long atMs, boolean isFinal, String... text) {
        List<CallerWords.Word> heard = new ArrayList<>();
        for (int i = 0; i < text.length; i++) {
            heard.add(new CallerWords.Word(text[i], atMs + i * 200L));
        }
        words.heard(heard, isFinal);
    }

    @Test
    void speechStartsAtTheFirstSpeechWindowAndStopsAfterTheMinimumSilence() {
        TurnDetector detector = detector(DEFAULTS);
        feed(detector, 320, 0.02f, false);
        feed(detector, 1280, 0.9f, false);
        feed(detector, 1600, 0.4f, false);
        assertThat(of(HearingEvent.CallerStoppedSpeaking.class)).as("0.4 is above the release threshold").isEmpty();
        feed(detector, 2400, 0.05f, false);

        assertThat(of(HearingEvent.CallerStartedSpeaking.class)).containsExactly(new HearingEvent.CallerStartedSpeaking(320));
        assertThat(of(HearingEvent.CallerStoppedSpeaking.class))
                .containsExactly(new HearingEvent.CallerStoppedSpeaking(1600, 1280));
    }

    @Test
    void aCompleteSentenceEndsTheTurnAfterAShortWait() {
        TurnDetector detector = detector(DEFAULTS);
        feed(detector, 1024, 0.9f, false);
        say(0, true, "Sure,", "I", "have", "a", "minute.");
        feed(detector, 3000, 0.01f, false);

        HearingEvent.TurnEnded ended = of(HearingEvent.TurnEnded.class).get(0);
        assertThat(ended.reason()).isEqualTo(EndOfTurn.Reason.COMPLETE_SENTENCE);
        assertThat(ended.silenceWaitedMs()).isBetween(400L, 400L + WINDOW);
        assertThat(ended.transcript()).isEqualTo("Sure, I have a minute.");
        assertThat(of(HearingEvent.TurnEnded.class)).hasSize(1);
    }

    @Test
    void whatTheTurnWouldSayIsKnownOnlyWhileTheCallerIsQuietWithTheTurnPending() {
        TurnDetector detector = detector(DEFAULTS);
        feed(detector, 320, 0.02f, false);
        assertThat(detector.turnSoFar()).as("no turn yet").isNull();
        feed(detector, 1024, 0.9f, false);
        say(320, false, "Sure,", "I");
        assertThat(detector.turnSoFar()).as("still speaking").isNull();

        feed(detector, 1400, 0.01f, false);
        say(320, true, "Sure,", "I", "have", "a", "minute.");
        assertThat(of(HearingEvent.TurnEnded.class)).isEmpty();
        assertThat(detector.turnSoFar()).isEqualTo("Sure, I have a minute.");

        feed(detector, 3000, 0.01f, false);
        assertThat(of(HearingEvent.TurnEnded.class)).singleElement()
                .extracting(HearingEvent.TurnEnded::transcript).isEqualTo("Sure, I have a minute.");
        assertThat(detector.turnSoFar()).as("the turn is over").isNull();
    }

    @Test
    void aSoftFirstWordBeforeTheDetectedOnsetBelongsToTheTurnButNoWordOfTheTurnBefore() {
        TurnDetector detector = detector(DEFAULTS);
        feed(detector, 1024, 0.9f, false);
        say(0, true, "Sure,", "I", "have", "a", "minute.");
        feed(detector, 3008, 0.01f, false);
        assertThat(of(HearingEvent.TurnEnded.class)).singleElement()
                .extracting(HearingEvent.TurnEnded::transcript).isEqualTo("Sure, I have a minute.");

        say(3600, true, "Next", "Tuesday", "works.");
        feed(detector, 4000, 0.01f, false);
        feed(detector, 4800, 0.9f, false);
        feed(detector, 6000, 0.01f, false);

        assertThat(of(HearingEvent.CallerStartedSpeaking.class)).last()
                .extracting(HearingEvent::atMs).isEqualTo(4000L);
        assertThat(of(HearingEvent.TurnEnded.class)).hasSize(2).last()
                .extracting(HearingEvent.TurnEnded::transcript).isEqualTo("Next Tuesday works.");
    }

    @Test
    void noTurnEndsInsideASixHundredMillisecondPauseMidSentence() {
        TurnDetector detector = detector(DEFAULTS);
        feed(detector, 1024, 0.9f, false);
        feed(detector, 1024 + 608, 0.02f, false);
        assertThat(of(HearingEvent.TurnEnded.class)).as("no words yet").isEmpty();

        say(0, false, "Our", "main", "warehouse", "is", "in");
        feed(detector, 1632 + 1024, 0.9f, false);
        feed(detector, 2656 + 608, 0.02f, false);
        assertThat(of(HearingEvent.TurnEnded.class)).as("hanging on 'in'").isEmpty();

        say(0, false, "Our", "main", "warehouse", "is", "in", "Denver", "and");
        feed(detector, 3264 + 1504, 0.02f, false);
        assertThat(of(HearingEvent.TurnEnded.class)).hasSize(1)
                .first().extracting(HearingEvent.TurnEnded::reason).isEqualTo(EndOfTurn.Reason.UNFINISHED);
    }

    @Test
    void talkingOverTheAgentInterruptsOnceTheMinimumIsReached() {
        TurnDetector detector = detector(DEFAULTS);
        feed(detector, 640, 0.02f, true);
        feed(detector, 1600, 0.9f, true);

        List<HearingEvent.CallerInterrupted> interruptions = of(HearingEvent.CallerInterrupted.class);
        assertThat(interruptions).hasSize(1);
        assertThat(interruptions.get(0).speechStartedAtMs()).isEqualTo(640);
        assertThat(interruptions.get(0).atMs() - 640).isBetween(250L, 250L + WINDOW);
    }

    @Test
    void aBackchannelDoesNotInterruptNorTakeTheTurn() {
        TurnDetector detector = detector(DEFAULTS);
        feed(detector, 640, 0.02f, true);
        feed(detector, 640 + 160, 0.9f, true);
        say(640, false, "uh-huh");
        feed(detector, 640 + 480, 0.9f, true);
        say(640, true, "Uh-huh.");
        feed(detector, 4000, 0.02f, true);

        assertThat(of(HearingEvent.CallerInterrupted.class)).isEmpty();
        assertThat(of(HearingEvent.TurnEnded.class)).isEmpty();
    }

    @Test
    void aCoughShorterThanTheMinimumDoesNotInterrupt() {
        TurnDetector detector = detector(DEFAULTS);
        feed(detector, 640, 0.02f, true);
        feed(detector, 640 + 192, 0.95f, true);
        feed(detector, 4000, 0.02f, true);

        assertThat(of(HearingEvent.CallerInterrupted.class)).isEmpty();
        assertThat(of(HearingEvent.TurnEnded.class)).isEmpty();
    }

    @Test
    void anInterruptionNoWordsFollowIsFalse() {
        TurnDetector detector = detector(DEFAULTS);
        feed(detector, 640, 0.02f, true);
        feed(detector, 640 + 512, 0.9f, true);
        assertThat(of(HearingEvent.CallerInterrupted.class)).hasSize(1);
        long silentFrom = clock;
        feed(detector, silentFrom + 2000, 0.02f, false);

        List<HearingEvent.FalseInterruption> falseOnes = of(HearingEvent.FalseInterruption.class);
        assertThat(falseOnes).hasSize(1);
        assertThat(falseOnes.get(0).atMs() - silentFrom).isBetween(1000L, 1000L + WINDOW);
        assertThat(of(HearingEvent.TurnEnded.class)).isEmpty();
    }

    @Test
    void anInterruptionWithWordsBecomesTheCallersTurn() {
        TurnDetector detector = detector(DEFAULTS);
        feed(detector, 640, 0.02f, true);
        feed(detector, 640 + 800, 0.9f, true);
        say(640, true, "Sorry,", "who", "is", "this?");
        feed(detector, 3000, 0.02f, false);

        assertThat(of(HearingEvent.CallerInterrupted.class)).hasSize(1);
        assertThat(of(HearingEvent.FalseInterruption.class)).isEmpty();
        assertThat(of(HearingEvent.TurnEnded.class)).singleElement()
                .extracting(HearingEvent.TurnEnded::transcript).isEqualTo("Sorry, who is this?");
    }

    @Test
    void theOpeningCannotBeInterrupted() {
        TurnDetector.Settings settings = new TurnDetector.Settings(0.5f, 0.35f, 150, 200, 250, 1000, 1500,
                DEFAULTS.backchannels(), DEFAULTS.endOfTurn());
        TurnDetector detector = detector(settings);
        feed(detector, 320, 0.02f, true);
        feed(detector, 1400, 0.9f, true);
        assertThat(of(HearingEvent.CallerInterrupted.class)).as("still in the opening").isEmpty();
        feed(detector, 1600, 0.9f, true);
        assertThat(of(HearingEvent.CallerInterrupted.class)).singleElement()
                .satisfies(i -> assertThat(i.atMs()).isBetween(1500L, 1500L + WINDOW));
    }
}
