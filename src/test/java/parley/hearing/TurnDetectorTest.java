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
            new EndOfTurn.Waits(400, 1500, 800), false, 300, 12, 20);

    private final CallerWords words = new CallerWords();
    private final List<HearingEvent> events = new ArrayList<>();
    private long clock;

    private TurnDetector detector(TurnDetector.Settings settings) {
        return new TurnDetector(settings, words);
    }

    /** Feeds windows of one probability until {@code untilMs}. */
    private void feed(TurnDetector detector, long untilMs, float probability, boolean agentSpeaking) {
        feed(detector, untilMs, probability, probability >= 0.35f ? -20f : -65f, agentSpeaking, -100f);
    }

    /** Feeds windows of one probability and loudness, the agent's loudest recent audio at {@code agentDb}. */
    private void feed(TurnDetector detector, long untilMs, float probability, float energyDb, boolean agentSpeaking,
                      float agentDb) {
        for (; clock + WINDOW <= untilMs; clock += WINDOW) {
            events.addAll(detector.onFrame(clock, clock + WINDOW, energyDb, agentSpeaking, agentDb));
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
        words.heard(heard, isFinal, false, atMs + text.length * 200L);
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

        assertThat(of(HearingEvent.CallerOverlapping.class)).as("held at the onset")
                .containsExactly(new HearingEvent.CallerOverlapping(640 + WINDOW));
        List<HearingEvent.CallerInterrupted> interruptions = of(HearingEvent.CallerInterrupted.class);
        assertThat(interruptions).as("no words at all: the minimum decides").hasSize(1);
        assertThat(interruptions.get(0).speechStartedAtMs()).isEqualTo(640);
        assertThat(interruptions.get(0).atMs() - 640).isBetween(250L, 250L + WINDOW);
        assertThat(of(HearingEvent.OverlapPassed.class)).isEmpty();
    }

    @Test
    void wordsThatAreNotABackchannelInterruptTheMomentTheyAreHeard() {
        TurnDetector detector = detector(DEFAULTS);
        feed(detector, 640, 0.02f, true);
        feed(detector, 640 + 160, 0.9f, true);
        assertThat(of(HearingEvent.CallerOverlapping.class)).hasSize(1);
        assertThat(of(HearingEvent.CallerInterrupted.class)).as("held, not yet stopped").isEmpty();

        say(640, false, "Sorry,");
        events.addAll(detector.onWords());

        assertThat(of(HearingEvent.CallerInterrupted.class)).singleElement()
                .satisfies(i -> assertThat(i.atMs()).isEqualTo(640 + 160));
    }

    @Test
    void wordsThatComeOnlyAfterTheCallerFellSilentStillTakeTheTurn() {
        TurnDetector detector = detector(DEFAULTS);
        feed(detector, 640, 0.02f, true);
        feed(detector, 640 + 192, 0.9f, true);
        feed(detector, 1600, 0.02f, true);
        assertThat(of(HearingEvent.CallerInterrupted.class)).isEmpty();
        assertThat(of(HearingEvent.OverlapPassed.class)).as("the words are still to come").isEmpty();

        say(640, true, "Who's", "this?");
        events.addAll(detector.onWords());
        feed(detector, 3000, 0.02f, false);

        assertThat(of(HearingEvent.CallerInterrupted.class)).hasSize(1);
        assertThat(of(HearingEvent.OverlapPassed.class)).isEmpty();
        assertThat(of(HearingEvent.TurnEnded.class)).singleElement()
                .extracting(HearingEvent.TurnEnded::transcript).isEqualTo("Who's this?");
    }

    @Test
    void aHoldPassesAsSoonAsTheAnswerToFinalizeHasNoWords() {
        TurnDetector detector = detector(DEFAULTS);
        feed(detector, 640, 0.02f, true);
        feed(detector, 640 + 192, 0.9f, true);
        feed(detector, 640 + 192 + 224, 0.02f, true);
        long stoppedAt = of(HearingEvent.CallerStoppedSpeaking.class).get(0).atMs();
        assertThat(of(HearingEvent.OverlapPassed.class)).isEmpty();

        words.finalizeAsked(stoppedAt + 200);
        words.heard(List.of(), true, true, 0);
        events.addAll(detector.onWords());
        feed(detector, stoppedAt + TurnDetector.REJOIN_MS + WINDOW, 0.02f, true);

        assertThat(of(HearingEvent.OverlapPassed.class)).as("once it cannot be the same utterance going on")
                .singleElement().satisfies(passed -> assertThat(passed.atMs() - stoppedAt)
                        .isBetween(TurnDetector.REJOIN_MS, TurnDetector.REJOIN_MS + WINDOW));
        assertThat(of(HearingEvent.CallerInterrupted.class)).isEmpty();
        feed(detector, 4000, 0.02f, true);
        assertThat(of(HearingEvent.TurnEnded.class)).isEmpty();
    }

    @Test
    void noiseTooShortForSpeechReleasesTheHoldWhenItStops() {
        TurnDetector detector = detector(DEFAULTS);
        feed(detector, 640, 0.02f, true);
        feed(detector, 640 + 96, 0.9f, true);
        feed(detector, 640 + 96 + 224, 0.02f, true);

        long stoppedAt = of(HearingEvent.CallerStoppedSpeaking.class).get(0).atMs();
        assertThat(of(HearingEvent.OverlapPassed.class)).containsExactly(new HearingEvent.OverlapPassed(stoppedAt, ""));
    }

    @Test
    void theAgentsEchoIsNotTheCallerButTheCallerOverItIs() {
        TurnDetector detector = detector(DEFAULTS);
        feed(detector, 640, 0.02f, -65f, true, -18f);
        // The agent's voice 20 dB down, as loud to the voice-activity model as any speech.
        feed(detector, 2000, 0.9f, -38f, true, -18f);
        assertThat(of(HearingEvent.CallerStartedSpeaking.class)).as("the echo").isEmpty();
        assertThat(of(HearingEvent.CallerOverlapping.class)).isEmpty();

        feed(detector, 2400, 0.9f, -21f, true, -18f);
        assertThat(of(HearingEvent.CallerStartedSpeaking.class)).as("the caller at their own level")
                .containsExactly(new HearingEvent.CallerStartedSpeaking(1984));
        assertThat(of(HearingEvent.CallerOverlapping.class)).hasSize(1);
    }

    @Test
    void theEchoOutlastsTheAgentByTheLongestEchoDelayOnly() {
        TurnDetector detector = detector(DEFAULTS);
        feed(detector, 640, 0.02f, -65f, true, -18f);
        feed(detector, 640 + 256, 0.9f, -38f, false, -18f);
        assertThat(of(HearingEvent.CallerStartedSpeaking.class)).as("the echo's tail").isEmpty();

        feed(detector, 1600, 0.02f, -65f, false, -18f);
        feed(detector, 2000, 0.9f, -38f, false, -18f);
        assertThat(of(HearingEvent.CallerStartedSpeaking.class)).as("a quiet caller once no echo can be left")
                .hasSize(1);
    }

    @Test
    void speechFarQuieterThanTheCallersOwnIsSomeoneElse() {
        TurnDetector detector = detector(DEFAULTS);
        feed(detector, 320, 0.02f, false);
        feed(detector, 1600, 0.9f, -20f, false, -100f);
        feed(detector, 3000, 0.02f, false);
        int turns = of(HearingEvent.CallerStartedSpeaking.class).size();

        feed(detector, 4000, 0.9f, -45f, false, -100f);
        assertThat(of(HearingEvent.CallerStartedSpeaking.class)).as("a voice 25 dB below the caller's").hasSize(turns);
        feed(detector, 5000, 0.9f, -32f, false, -100f);
        assertThat(of(HearingEvent.CallerStartedSpeaking.class)).as("the caller, a little quieter")
                .hasSize(turns + 1);
    }

    @Test
    void speechRightAfterATurnEndedReopensItAndItEndsWithAllItsWords() {
        TurnDetector detector = detector(DEFAULTS);
        feed(detector, 320, 0.02f, false);
        feed(detector, 1600, 0.9f, false);
        say(320, true, "Is", "this", "going", "to", "cost", "me", "anything?");
        while (of(HearingEvent.TurnEnded.class).isEmpty()) {
            feed(detector, clock + WINDOW, 0.02f, false);
        }
        assertThat(of(HearingEvent.TurnEnded.class)).singleElement()
                .extracting(HearingEvent.TurnEnded::transcript).isEqualTo("Is this going to cost me anything?");

        // The agent begins to answer; the caller goes on, 500 ms after their last word.
        long wentOnAt = clock + WINDOW;
        assertThat(wentOnAt - 1600).isLessThan(TurnDetector.WITHDRAW_WITHIN_MS);
        feed(detector, wentOnAt, 0.02f, true);
        while (of(HearingEvent.CallerWentOn.class).isEmpty() && clock < wentOnAt + 800) {
            feed(detector, clock + WINDOW, 0.9f, true);
        }
        // The answer withdrawn, the agent is silent.
        feed(detector, wentOnAt + 800, 0.9f, false);
        say(wentOnAt, true, "I'm", "not", "interested.");
        feed(detector, 5000, 0.02f, false);

        assertThat(of(HearingEvent.CallerWentOn.class)).singleElement().satisfies(wentOn -> {
            assertThat(wentOn.turnStartedAtMs()).isEqualTo(320);
            assertThat(wentOn.atMs()).isBetween(wentOnAt + 150, wentOnAt + 150 + WINDOW);
        });
        assertThat(of(HearingEvent.CallerInterrupted.class)).isEmpty();
        assertThat(of(HearingEvent.TurnEnded.class)).hasSize(2).last().extracting(HearingEvent.TurnEnded::transcript)
                .isEqualTo("Is this going to cost me anything? I'm not interested.");
    }

    @Test
    void speechLaterThanTheWithdrawWindowIsANewTurn() {
        TurnDetector detector = detector(DEFAULTS);
        feed(detector, 320, 0.02f, false);
        feed(detector, 1600, 0.9f, false);
        say(320, true, "Is", "it", "expensive?");
        feed(detector, 1600 + 800, 0.02f, false);
        feed(detector, 3200, 0.9f, false);
        say(2400, true, "Also,", "who", "are", "you?");
        feed(detector, 4000, 0.02f, false);

        assertThat(of(HearingEvent.CallerWentOn.class)).isEmpty();
        assertThat(of(HearingEvent.TurnEnded.class)).extracting(HearingEvent.TurnEnded::transcript)
                .containsExactly("Is it expensive?", "Also, who are you?");
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

        assertThat(of(HearingEvent.CallerOverlapping.class)).hasSize(1);
        assertThat(of(HearingEvent.CallerInterrupted.class)).isEmpty();
        assertThat(of(HearingEvent.OverlapPassed.class)).singleElement()
                .extracting(HearingEvent.OverlapPassed::heard).isEqualTo("Uh-huh.");
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
                DEFAULTS.backchannels(), DEFAULTS.endOfTurn(), false, 300, 12, 20);
        TurnDetector detector = detector(settings);
        feed(detector, 320, 0.02f, true);
        feed(detector, 1400, 0.9f, true);
        assertThat(of(HearingEvent.CallerInterrupted.class)).as("still in the opening").isEmpty();
        feed(detector, 1600, 0.9f, true);
        assertThat(of(HearingEvent.CallerInterrupted.class)).singleElement()
                .satisfies(i -> assertThat(i.atMs()).isBetween(1500L, 1500L + WINDOW));
    }

    private static final long SECOND_LOOK = TurnDetector.SECOND_LOOK_MS;
    private static final TurnDetector.Settings WITH_MODEL = new TurnDetector.Settings(0.5f, 0.35f, 150, 90, 250,
            1000, 0, DEFAULTS.backchannels(), DEFAULTS.endOfTurn(), true, 300, 12, 20);

    /** Speaks from {@code clock} to {@code untilMs}, then is silent until turn-taking sees a candidate stop. */
    /**
     * Speaks from {@code clock} to {@code untilMs}, then is silent until turn-taking sees a candidate stop;
     * returns where the speech stopped. If the words so far reach the stop, the turn model is asked then.
     */
    private long speakThenPause(TurnDetector detector, long untilMs) {
        feed(detector, untilMs, 0.9f, false);
        int stops = of(HearingEvent.CallerStoppedSpeaking.class).size();
        while (of(HearingEvent.CallerStoppedSpeaking.class).size() == stops) {
            feed(detector, clock + WINDOW, 0.02f, false);
        }
        if (detector.wantsVerdict()) {
            detector.verdictAsked();
        }
        return of(HearingEvent.CallerStoppedSpeaking.class).get(stops).atMs();
    }

    /** The turn model answers {@code complete}, if it was asked. */
    private void answer(TurnDetector detector, boolean complete) {
        if (detector.wantsVerdict()) {
            events.addAll(detector.onVerdict(detector.verdictAsked(), complete));
        }
    }

    /** Silence until {@code untilMs}, the turn model answering {@code complete} each time it is asked. */
    private void silenceHeardAs(TurnDetector detector, long untilMs, boolean complete) {
        while (clock + WINDOW <= untilMs) {
            if (detector.wantsVerdict()) {
                events.addAll(detector.onVerdict(detector.verdictAsked(), complete));
            }
            feed(detector, clock + WINDOW, 0.02f, false);
        }
    }

    @Test
    void aSentenceHeardAsFinishedEndsAtOnceWhenTheWordsReachTheStop() {
        TurnDetector detector = detector(WITH_MODEL);
        feed(detector, 320, 0.02f, false);
        say(320, false, "Sure,", "I", "have", "a", "minute.");
        long pause = speakThenPause(detector, 1344);
        assertThat(pause).isEqualTo(1344);
        assertThat(clock - pause).as("a candidate stop three windows in").isEqualTo(3 * WINDOW);
        assertThat(of(HearingEvent.TurnEnded.class)).isEmpty();

        events.addAll(detector.onVerdict(pause, true));

        assertThat(of(HearingEvent.TurnEnded.class)).singleElement().satisfies(ended -> {
            assertThat(ended.reason()).isEqualTo(EndOfTurn.Reason.HEARD_COMPLETE);
            assertThat(ended.transcript()).isEqualTo("Sure, I have a minute.");
            assertThat(ended.silenceWaitedMs()).isEqualTo(3 * WINDOW);
        });
    }

    @Test
    void wordsThatEndNoSentenceWaitForTheModelToHearTheTurnFinishedAgain() {
        TurnDetector detector = detector(WITH_MODEL);
        feed(detector, 320, 0.02f, false);
        say(320, true, "Is", "this", "going", "to", "cost", "me");
        long pause = speakThenPause(detector, 1536);
        events.addAll(detector.onVerdict(pause, true));
        silenceHeardAs(detector, pause + 192, true);
        assertThat(of(HearingEvent.TurnEnded.class)).as("a gap between two words sounds finished too").isEmpty();

        silenceHeardAs(detector, pause + 256, true);
        assertThat(of(HearingEvent.CallerStillSilent.class)).as("asked with the words, then again").hasSize(2);
        assertThat(of(HearingEvent.TurnEnded.class)).singleElement().satisfies(ended -> {
            assertThat(ended.reason()).isEqualTo(EndOfTurn.Reason.HEARD_COMPLETE);
            assertThat(ended.silenceWaitedMs()).isBetween(SECOND_LOOK, SECOND_LOOK + WINDOW);
        });
    }

    @Test
    void aTurnHeardAsFinishedWaitsForWordsThatReachTheStop() {
        TurnDetector detector = detector(WITH_MODEL);
        feed(detector, 320, 0.02f, false);
        say(320, false, "Sure,", "I");
        long pause = speakThenPause(detector, 1344);
        events.addAll(detector.onVerdict(pause, true));
        feed(detector, clock + 64, 0.02f, false);
        assertThat(of(HearingEvent.TurnEnded.class)).as("the words so far end at 720 ms").isEmpty();

        say(320, true, "Sure,", "I", "have", "a", "minute.");
        events.addAll(detector.onWords());

        assertThat(of(HearingEvent.TurnEnded.class)).singleElement()
                .extracting(HearingEvent.TurnEnded::transcript).isEqualTo("Sure, I have a minute.");
    }

    @Test
    void theAnswerToFinalizeCoversTheAudioUpToWhereItWasAskedWhereverItsLastWordEnds() {
        TurnDetector detector = detector(WITH_MODEL);
        feed(detector, 320, 0.02f, false);
        speakThenPause(detector, 1344);
        assertThat(detector.wantsVerdict()).as("no words yet: nothing to weigh a verdict with").isFalse();
        words.finalizeAsked(clock);

        words.heard(List.of(new CallerWords.Word("Sure.", 400)), true, true, 700);
        events.addAll(detector.onWords());
        assertThat(of(HearingEvent.CallerStillSilent.class)).as("the model is asked once words come").hasSize(1);
        answer(detector, true);

        assertThat(of(HearingEvent.TurnEnded.class)).singleElement()
                .extracting(HearingEvent.TurnEnded::transcript).isEqualTo("Sure.");
    }

    @Test
    void aTurnHeardAsUnfinishedWaitsTheUnfinishedTime() {
        TurnDetector detector = detector(WITH_MODEL);
        feed(detector, 320, 0.02f, false);
        say(544, true, "We", "have", "trucks", "vans");
        long pause = speakThenPause(detector, 1344);
        events.addAll(detector.onVerdict(pause, false));
        silenceHeardAs(detector, pause + 1400, false);
        assertThat(of(HearingEvent.TurnEnded.class)).as("an unclear turn to the words alone").isEmpty();

        silenceHeardAs(detector, pause + 1600, false);
        assertThat(of(HearingEvent.TurnEnded.class)).singleElement().satisfies(ended -> {
            assertThat(ended.reason()).isEqualTo(EndOfTurn.Reason.HEARD_UNFINISHED);
            assertThat(ended.silenceWaitedMs()).isBetween(1500L, 1500L + WINDOW);
        });
    }

    @Test
    void aPauseHeardAsUnfinishedIsHeardAgainTwoHundredMillisecondsIn() {
        TurnDetector detector = detector(WITH_MODEL);
        feed(detector, 320, 0.02f, false);
        say(544, true, "Sure,", "what's", "this", "about?");
        long pause = speakThenPause(detector, 1344);
        events.addAll(detector.onVerdict(pause, false));
        feed(detector, pause + 192, 0.02f, false);
        assertThat(detector.wantsVerdict()).isFalse();
        feed(detector, pause + 224, 0.02f, false);

        assertThat(of(HearingEvent.CallerStillSilent.class)).as("asked with the words, then again").hasSize(2)
                .last().extracting(HearingEvent::atMs).isEqualTo(pause + 224);
        assertThat(detector.wantsVerdict()).isTrue();
        assertThat(detector.verdictAsked()).isEqualTo(pause);
        events.addAll(detector.onVerdict(pause, true));
        assertThat(of(HearingEvent.TurnEnded.class)).singleElement()
                .extracting(HearingEvent.TurnEnded::reason).isEqualTo(EndOfTurn.Reason.HEARD_COMPLETE);
    }

    @Test
    void aPauseIsHeardAgainOnlyOnce() {
        TurnDetector detector = detector(WITH_MODEL);
        feed(detector, 320, 0.02f, false);
        say(544, true, "We", "have", "trucks", "vans");
        long pause = speakThenPause(detector, 1344);
        events.addAll(detector.onVerdict(pause, false));
        silenceHeardAs(detector, pause + 1600, false);

        assertThat(of(HearingEvent.CallerStillSilent.class)).as("asked with the words, then once again").hasSize(2);
        assertThat(of(HearingEvent.TurnEnded.class)).singleElement()
                .satisfies(ended -> assertThat(ended.silenceWaitedMs()).isBetween(1500L, 1500L + WINDOW));
    }

    @Test
    void aSentenceTheWordsCloseButTheModelHearsGoingOnWaitsTheUnclearTime() {
        TurnDetector detector = detector(WITH_MODEL);
        feed(detector, 320, 0.02f, false);
        say(320, true, "We", "have", "trucks", "and", "vans.");
        long pause = speakThenPause(detector, 1344);
        events.addAll(detector.onVerdict(pause, false));
        silenceHeardAs(detector, pause + 700, false);
        assertThat(of(HearingEvent.TurnEnded.class)).as("longer than a complete sentence").isEmpty();

        silenceHeardAs(detector, pause + 900, false);
        assertThat(of(HearingEvent.TurnEnded.class)).singleElement().satisfies(ended -> {
            assertThat(ended.reason()).isEqualTo(EndOfTurn.Reason.HEARD_UNFINISHED);
            assertThat(ended.silenceWaitedMs()).isBetween(800L, 800L + WINDOW);
        });
    }

    @Test
    void wordsLeftHangingOutweighAModelThatHeardTheTurnFinished() {
        TurnDetector detector = detector(WITH_MODEL);
        feed(detector, 320, 0.02f, false);
        say(320, true, "My", "number", "is", "five", "five", "five");
        long pause = speakThenPause(detector, 1600);
        events.addAll(detector.onVerdict(pause, true));
        silenceHeardAs(detector, pause + 1400, true);
        assertThat(of(HearingEvent.TurnEnded.class)).isEmpty();

        silenceHeardAs(detector, pause + 1600, true);
        assertThat(of(HearingEvent.TurnEnded.class)).singleElement()
                .extracting(HearingEvent.TurnEnded::reason).isEqualTo(EndOfTurn.Reason.UNFINISHED);
    }

    @Test
    void aVerdictOnAPauseTheCallerTalkedThroughIsIgnored() {
        TurnDetector detector = detector(WITH_MODEL);
        feed(detector, 320, 0.02f, false);
        say(320, false, "Sure,", "I", "have", "a", "minute");
        long pause = speakThenPause(detector, 1344);
        feed(detector, clock + 320, 0.9f, false);

        assertThat(detector.onVerdict(pause, true)).isEmpty();
        assertThat(of(HearingEvent.CallerStartedSpeaking.class)).as("one utterance, resumed within 250 ms")
                .hasSize(2);
        say(320, false, "Sure,", "I", "have", "a", "minute", "or", "two", "yes", "fine.");
        long second = speakThenPause(detector, clock + 320);
        assertThat(second).isGreaterThan(pause);
        events.addAll(detector.onVerdict(second, true));
        assertThat(of(HearingEvent.TurnEnded.class)).hasSize(1);
    }

    @Test
    void shortPausesInsideABargeInDoNotRestartItsCount() {
        TurnDetector detector = detector(WITH_MODEL);
        feed(detector, 640, 0.02f, true);
        feed(detector, 640 + 160, 0.9f, true);
        feed(detector, 640 + 320, 0.02f, true);
        assertThat(of(HearingEvent.CallerStoppedSpeaking.class)).as("a candidate stop in the pause").hasSize(1);
        feed(detector, 640 + 480, 0.9f, true);

        // Counted from the first onset, the minimum was reached in the pause: the first sound after it interrupts.
        assertThat(of(HearingEvent.CallerInterrupted.class)).singleElement().satisfies(interruption -> {
            assertThat(interruption.speechStartedAtMs()).isEqualTo(640);
            assertThat(interruption.atMs()).isBetween(640L + 320, 640L + 320 + 2 * WINDOW);
        });
    }

    @Test
    void anAnswerThatBeganOverTheAgentsLastWordIsATurn() {
        TurnDetector detector = detector(DEFAULTS);
        feed(detector, 640, 0.02f, true);
        feed(detector, 640 + 96, 0.9f, true);
        feed(detector, 2400, 0.9f, false);
        say(640, true, "We", "handle", "maybe", "sixty", "drops", "a", "week.");
        feed(detector, 4000, 0.02f, false);

        assertThat(of(HearingEvent.OverlapPassed.class)).as("the hold is released").hasSize(1);
        assertThat(of(HearingEvent.CallerInterrupted.class)).as("the agent was done before it could").isEmpty();
        assertThat(of(HearingEvent.TurnEnded.class)).singleElement()
                .extracting(HearingEvent.TurnEnded::transcript).isEqualTo("We handle maybe sixty drops a week.");
    }

    @Test
    void speechOverAnAgentThatFinishesDuringAWouldBeBargeInIsATurn() {
        TurnDetector detector = detector(DEFAULTS);
        feed(detector, 640, 0.02f, true);
        feed(detector, 640 + 192, 0.9f, true);
        feed(detector, 640 + 800, 0.9f, false);
        say(640, true, "Sorry,", "who", "is", "this?");
        feed(detector, 3000, 0.02f, false);

        assertThat(of(HearingEvent.OverlapPassed.class)).as("the hold is released").hasSize(1);
        assertThat(of(HearingEvent.CallerInterrupted.class)).isEmpty();
        assertThat(of(HearingEvent.TurnEnded.class)).singleElement()
                .extracting(HearingEvent.TurnEnded::transcript).isEqualTo("Sorry, who is this?");
    }
}
