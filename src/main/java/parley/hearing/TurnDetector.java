package parley.hearing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turn-taking for one call, fed one voice-activity window at a time, in stream time. Pure and single
 * threaded (it runs on the call's lane), so every decision can be replayed in a test.
 *
 * <ul>
 *   <li>Speech starts at the first window at or above {@code threshold}; it stops once windows stay below
 *       {@code releaseThreshold} for {@code minSilence}, a candidate stop: short, so that a finished turn is
 *       noticed early, and speech that resumes within {@link #REJOIN_MS} continues the same utterance. A
 *       stretch shorter than {@code minSpeech} is noise.
 *       The model scores unvoiced sounds ("s", "sh", "h") low, so it confirms a word like "Sorry" only at its
 *       vowel, 60-100 ms in; the start is therefore dated back to where the loud stretch leading into it
 *       began, so that durations (and the interruption minimum) count from the caller's real onset.
 *       Loudness is judged per 20 ms frame against the line's noise floor.</li>
 *   <li>The turn ends after a silence whose length depends on the words so far ({@link EndOfTurn}) and,
 *       when a turn model is asked ({@code askTurnModel}), on what it hears. It is asked at the candidate
 *       stop, or once the first words come, unless they leave something hanging; a turn it hears finished
 *       ends as soon as the recognizer's words reach the stop and end a sentence. Otherwise, if it was asked
 *       before {@link #SECOND_LOOK_MS} of silence, it listens again then, and a turn it hears finished ends unless
 *       its words leave something hanging. A turn it hears in mid-sentence waits {@code unfinished}, or
 *       {@code unclear} if the recognizer's words end the sentence.</li>
 *   <li>Speech that starts within {@link #WITHDRAW_WITHIN_MS} of the end of the speech of a turn that has just
 *       ended, and outlasts {@code minSpeech}, means the turn was not over: its answer is withdrawn and the
 *       turn reopened, to end with all its words.</li>
 *   <li>Speech that overlapped the agent is a turn like any other if the agent is silent when it stops: a
 *       caller who answers over the agent's last word is answered.</li>
 *   <li>Speech over the agent (past the call's uninterruptible opening) holds it at once: it sends nothing
 *       more, so the caller hears it pause once Twilio's short buffer has played. The hold becomes an
 *       interruption when the recognizer hears words that are not all backchannels ("uh-huh", "yeah"), or
 *       when the caller talks on for {@code minInterrupt} with no words heard at all. It passes, and the agent
 *       goes on from the sample it held at, when the caller falls silent having made only a noise, or once
 *       the recognizer's words reach their stop and are only backchannels or none (at the latest
 *       {@code falseInterruption} after it): acoustics alone cannot tell "okay" from "Sorry, who" in
 *       time, so only words confirm an interruption, and a pause costs the caller less than a restart.</li>
 *   <li>An interruption that no words follow within {@code falseInterruption} of the caller falling silent,
 *       or only backchannels, was false: the agent picks up again.</li>
 *   <li>The agent's own voice leaking back from the caller's phone is not the caller: while the agent plays
 *       (and {@code echoMaxDelay} after), sound no louder than the loudest of what it played in the last
 *       {@code echoMaxDelay} less {@code echoReturnLoss} is taken for its echo, as a telephone double-talk
 *       detector takes it (Geigel's), and a caller talking over it at their normal level stands out above
 *       it. Speech more than {@code quietVoiceBelow} quieter than the caller's own level (someone in the
 *       room behind them) is not theirs either, once that level is known.</li>
 * </ul>
 */
public final class TurnDetector {

    public record Settings(float threshold, float releaseThreshold, long minSpeechMs, long minSilenceMs,
                           long minInterruptMs, long falseInterruptionMs, long uninterruptibleOpeningMs,
                           Set<String> backchannels, EndOfTurn.Waits endOfTurn, boolean askTurnModel,
                           long echoMaxDelayMs, float echoReturnLossDb, float quietVoiceBelowDb) {
        public Settings {
            if (releaseThreshold > threshold) {
                throw new IllegalArgumentException("release-threshold must not exceed threshold");
            }
            backchannels = backchannels.stream().map(w -> w.toLowerCase(Locale.ROOT)).collect(
                    java.util.stream.Collectors.toUnmodifiableSet());
        }
    }

    /** Frames remembered for the windows still being scored (the scorer runs behind the frames): 640 ms. */
    private static final int RECENT_FRAMES = 32;
    /** Windows of the caller's own clean speech heard before their level is trusted: about half a second. */
    private static final int CALLER_LEVEL_WINDOWS = 15;
    private static final long FRAME_MS = 20;

    /** Frames this far above the line's noise floor (and above an absolute floor) count as loud. */
    private static final float LOUD_ABOVE_FLOOR_DB = 12;
    private static final float QUIETEST_LOUD_DB = -50;
    /** How far back a start may be dated: longer lead-ins are not the same sound. */
    private static final long MAX_BACKDATE_MS = 160;
    /**
     * A recognizer's word times and this detector's onsets are each approximate, and a soft onset ("w", "n")
     * stays under the loudness floor for up to 200 ms: words this much earlier still count towards whether an
     * overlap is a backchannel.
     */
    private static final long WORD_SLACK_MS = 300;
    /**
     * A turn's words may start this long before its detected onset: a short soft first word ("Next Tuesday")
     * can score as speech only at the word after it, 400 ms late. Never earlier than the previous turn's end,
     * so no word is taken from the turn before.
     */
    private static final long TURN_WORD_SLACK_MS = 1000;
    /**
     * Speech this soon after a turn's speech ended goes on with that turn: about the longest pause between two
     * sentences of one turn that the turn model and the words can hear as its end, and short enough that the
     * caller has heard little of the answer, if any.
     */
    static final long WITHDRAW_WITHIN_MS = 600;
    /** Speech that resumes within this of a candidate stop is the same utterance going on, not a new one. */
    static final long REJOIN_MS = 250;
    /**
     * The recognizer's words count as covering the turn when their audio reaches this close to the stop:
     * the detector's stop lags the last sound by part of a window.
     */
    private static final long WORDS_COVER_SLACK_MS = 60;

    /**
     * A pause the turn model heard as unfinished is heard again once this much of it has passed: the model
     * was trained on turns followed by about 200 ms of silence (Pipecat's default), and a finished sentence
     * with only the first 100 ms of it often sounds unfinished to it.
     */
    static final long SECOND_LOOK_MS = 200;

    /**
     * What the turn model made of the current pause. It is asked once there are words for the turn that leave
     * nothing hanging: a pause with no words yet, or whose words settle it anyway, costs no run of the model.
     */
    private enum Verdict { NOT_ASKED, AWAITING_WORDS, WANTED, PENDING, COMPLETE, UNFINISHED }

    private final Settings settings;
    private final EndOfTurn endOfTurn;
    private final CallerWords words;

    private boolean speaking;
    private long speechStartMs;
    private long silenceStartMs = -1;
    private boolean overlappedAgent;
    private boolean interrupted;
    private long interruptedSpeechStartMs = -1;
    private long turnStartMs = -1;
    private long lastTurnEndedMs;
    private boolean turnPending;
    private long lastSpeechEndMs;
    private float noiseFloorDb = -60;
    private long loudSinceMs = -1;
    private Verdict verdict = Verdict.NOT_ASKED;
    private boolean secondLookTaken;
    private long lastWindowEndMs;
    private boolean agentSpeaking;
    private long agentAudibleUntilMs = Long.MIN_VALUE / 2;
    /** The loudest the agent's echo can be in each recent frame, by the frame's end. */
    private final long[] recentFrameEndMs = new long[RECENT_FRAMES];
    private final float[] recentEchoCeilingDb = new float[RECENT_FRAMES];
    private int framesHeard;
    private float callerLevelDb;
    private int callerLevelWindows;
    /** The turn that ended last, while it may still be reopened; -1 once it may not. */
    private long endedTurnStartMs = -1;
    private long endedTurnSpeechEndMs;
    private long turnEndedBeforeMs;
    /** The agent is holding its audio for speech over it that has not yet proved to be an interruption. */
    private boolean held;

    public TurnDetector(Settings settings, CallerWords words) {
        this.settings = settings;
        this.endOfTurn = new EndOfTurn(settings.endOfTurn());
        this.words = words;
    }

    /**
     * One scored window of the caller's audio.
     *
     * @param agentSpeaking whether the caller is hearing the agent right now
     */
    public List<HearingEvent> onWindow(VoiceActivity window, boolean agentSpeaking) {
        long startMs = window.startMs();
        long endMs = window.endMs();
        lastWindowEndMs = endMs;
        this.agentSpeaking = agentSpeaking;
        float heardDb = window.energyDb();
        if (window.probability() < 0.1f) {
            // The floor follows the line's background slowly, and drops at once to a quieter line.
            noiseFloorDb = Math.min(heardDb, 0.95f * noiseFloorDb + 0.05f * heardDb);
        }
        boolean notTheCaller = heardDb < echoCeilingDb(startMs, endMs)
                || callerLevelWindows >= CALLER_LEVEL_WINDOWS && heardDb < callerLevelDb - settings.quietVoiceBelowDb();
        float probability = notTheCaller ? 0 : window.probability();
        if (speaking && !agentSpeaking && probability >= settings.threshold()) {
            callerLevelDb = callerLevelWindows == 0 ? heardDb : 0.95f * callerLevelDb + 0.05f * heardDb;
            callerLevelWindows++;
        }
        List<HearingEvent> events = new ArrayList<>(1);
        if (!speaking) {
            if (probability >= settings.threshold()) {
                long loudStart = loudSinceMs >= 0 ? Math.max(loudSinceMs, startMs - MAX_BACKDATE_MS) : startMs;
                startSpeech(Math.min(startMs, loudStart), agentSpeaking, events);
                speechGoesOn(endMs, agentSpeaking, events);
            }
        } else {
            if (probability < settings.releaseThreshold()) {
                if (silenceStartMs < 0) {
                    silenceStartMs = startMs;
                }
                if (endMs - silenceStartMs >= settings.minSilenceMs()) {
                    stopSpeech(agentSpeaking, events);
                }
            } else {
                silenceStartMs = -1;
            }
            // Only a window that is itself speech can push the caller over the interruption minimum.
            if (speaking && silenceStartMs < 0) {
                speechGoesOn(endMs, agentSpeaking, events);
            }
        }
        if (!speaking) {
            considerEndOfTurn(endMs, events);
        }
        return events;
    }

    /**
     * One frame of the caller's audio, as it arrives (before its window is scored). Frames date the onset
     * finer than windows, and once the model has confirmed speech they carry it on: the interruption
     * minimum is then checked every 20 ms without waiting for the next window's score.
     *
     * @param agentLoudestDb the loudest the caller heard the agent in the last {@code echoMaxDelay} (dBFS):
     *     how loud its echo on this frame can be, at most, before the echo's own loss
     */
    public List<HearingEvent> onFrame(long startMs, long endMs, float energyDb, boolean agentSpeaking,
                                      float agentLoudestDb) {
        this.agentSpeaking = agentSpeaking;
        if (agentSpeaking) {
            agentAudibleUntilMs = endMs;
        }
        float echoCeilingDb = endMs - agentAudibleUntilMs <= settings.echoMaxDelayMs()
                ? agentLoudestDb - settings.echoReturnLossDb() : Float.NEGATIVE_INFINITY;
        int slot = framesHeard++ % RECENT_FRAMES;
        recentFrameEndMs[slot] = endMs;
        recentEchoCeilingDb[slot] = echoCeilingDb;
        boolean loud = energyDb >= Math.max(Math.max(QUIETEST_LOUD_DB, noiseFloorDb + LOUD_ABOVE_FLOOR_DB),
                echoCeilingDb);
        if (!loud) {
            loudSinceMs = -1;
            return List.of();
        }
        if (loudSinceMs < 0) {
            // The onset lies somewhere in the first loud frame: its middle is the best guess.
            loudSinceMs = startMs + (endMs - startMs) / 2;
        }
        if (!speaking || silenceStartMs >= 0) {
            return List.of();
        }
        List<HearingEvent> events = new ArrayList<>(1);
        speechGoesOn(endMs, agentSpeaking, events);
        return events;
    }

    /** The loudest the agent's echo can be anywhere in the window from {@code startMs} to {@code endMs}. */
    private float echoCeilingDb(long startMs, long endMs) {
        float ceiling = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < Math.min(framesHeard, RECENT_FRAMES); i++) {
            long frameEnd = recentFrameEndMs[i];
            if (frameEnd > startMs && frameEnd - FRAME_MS < endMs) {
                ceiling = Math.max(ceiling, recentEchoCeilingDb[i]);
            }
        }
        return ceiling;
    }

    private void startSpeech(long startMs, boolean agentSpeaking, List<HearingEvent> events) {
        boolean goesOn = lastSpeechEndMs > lastTurnEndedMs && startMs - lastSpeechEndMs < REJOIN_MS;
        speaking = true;
        silenceStartMs = -1;
        verdict = Verdict.NOT_ASKED;
        if (goesOn) {
            // The same utterance after a short pause: its onset (for the interruption minimum) stands.
            overlappedAgent |= agentSpeaking;
        } else {
            speechStartMs = startMs;
            overlappedAgent = agentSpeaking;
        }
        if (turnStartMs < 0 || !turnPending) {
            turnStartMs = speechStartMs;
        }
        events.add(new HearingEvent.CallerStartedSpeaking(startMs));
    }

    private void stopSpeech(boolean agentSpeaking, List<HearingEvent> events) {
        speaking = false;
        long speechMs = silenceStartMs - speechStartMs;
        lastSpeechEndMs = silenceStartMs;
        events.add(new HearingEvent.CallerStoppedSpeaking(silenceStartMs, speechMs));
        boolean noise = speechMs < settings.minSpeechMs();
        if (held && noise) {
            held = false;
            events.add(new HearingEvent.OverlapPassed(silenceStartMs, ""));
        }
        if (held) {
            // Whether this was a turn is for the words to say: see resolveHold.
            return;
        }
        // Speech over the agent that did not interrupt it (a backchannel, a short noise) is not a turn while
        // the agent goes on; once the agent is silent, it is the caller's answer.
        if (!noise && (!overlappedAgent || interrupted || !agentSpeaking)) {
            becomeTurn();
        } else if (!turnPending) {
            turnStartMs = -1;
        }
    }

    private void becomeTurn() {
        if (!turnPending && turnStartMs < 0) {
            turnStartMs = speechStartMs;
        }
        turnPending = true;
        if (settings.askTurnModel()) {
            verdict = Verdict.AWAITING_WORDS;
            secondLookTaken = false;
        }
    }

    private void considerInterrupting(long nowMs, boolean agentSpeaking, List<HearingEvent> events) {
        if (interrupted || !agentSpeaking || nowMs < settings.uninterruptibleOpeningMs()) {
            return;
        }
        if (!held) {
            held = true;
            events.add(new HearingEvent.CallerOverlapping(nowMs));
        }
        List<String> said = words.since(speechStartMs - WORD_SLACK_MS);
        boolean takesTheTurn = !said.isEmpty() && !onlyBackchannels(said);
        if (takesTheTurn || said.isEmpty() && nowMs - speechStartMs >= settings.minInterruptMs()) {
            interrupt(nowMs, events);
        }
    }

    /** The caller is still speaking at {@code nowMs}: over the agent, or on with a turn that seemed over. */
    private void speechGoesOn(long nowMs, boolean agentSpeaking, List<HearingEvent> events) {
        overlappedAgent |= agentSpeaking;
        considerGoingOn(nowMs, events);
        considerInterrupting(nowMs, agentSpeaking, events);
    }

    /** Speech soon after a turn ended, long enough not to be noise: the turn goes on. */
    private void considerGoingOn(long nowMs, List<HearingEvent> events) {
        if (endedTurnStartMs < 0 || nowMs - speechStartMs < settings.minSpeechMs()) {
            return;
        }
        if (speechStartMs - endedTurnSpeechEndMs > WITHDRAW_WITHIN_MS) {
            endedTurnStartMs = -1;
            return;
        }
        turnStartMs = endedTurnStartMs;
        lastTurnEndedMs = turnEndedBeforeMs;
        endedTurnStartMs = -1;
        // The answer is withdrawn, the agent silent: this is the caller's turn, not speech over the agent.
        held = false;
        interrupted = false;
        overlappedAgent = false;
        events.add(new HearingEvent.CallerWentOn(nowMs, turnStartMs));
    }

    private void interrupt(long nowMs, List<HearingEvent> events) {
        interrupted = true;
        held = false;
        interruptedSpeechStartMs = speechStartMs;
        events.add(new HearingEvent.CallerInterrupted(nowMs, speechStartMs));
    }

    /**
     * The caller fell silent while the agent held for them: their words decide whether they took the turn or
     * the agent goes on.
     */
    private void resolveHold(long nowMs, List<HearingEvent> events) {
        List<String> said = words.since(speechStartMs - WORD_SLACK_MS);
        if (agentSpeaking && !said.isEmpty() && !onlyBackchannels(said)) {
            interrupt(nowMs, events);
            becomeTurn();
            return;
        }
        long silenceMs = nowMs - lastSpeechEndMs;
        boolean wordsIn = words.heardThroughMs() >= lastSpeechEndMs - WORDS_COVER_SLACK_MS;
        // Speech that resumes within REJOIN_MS is the same utterance: the agent does not start in that gap.
        if (agentSpeaking && (silenceMs < REJOIN_MS || !wordsIn && silenceMs < settings.falseInterruptionMs())) {
            return;
        }
        held = false;
        events.add(new HearingEvent.OverlapPassed(nowMs, String.join(" ", said)));
        if (!agentSpeaking) {
            // The agent's line ended under the caller (all of it was with Twilio already): what they said is
            // their answer, if it was more than a backchannel.
            if (said.isEmpty() || !onlyBackchannels(said)) {
                becomeTurn();
            }
        } else if (!turnPending) {
            turnStartMs = -1;
        }
    }

    private void considerEndOfTurn(long nowMs, List<HearingEvent> events) {
        if (held) {
            resolveHold(nowMs, events);
            if (held) {
                return;
            }
        }
        long silenceMs = nowMs - lastSpeechEndMs;
        if (interrupted) {
            List<String> said = words.since(interruptedSpeechStartMs - WORD_SLACK_MS);
            boolean wordsFollowed = !said.isEmpty() && !onlyBackchannels(said);
            if (!wordsFollowed) {
                // Only backchannels: known to be false as soon as the words are in, no need to wait longer.
                if (!said.isEmpty() || silenceMs >= settings.falseInterruptionMs()) {
                    interrupted = false;
                    turnPending = false;
                    turnStartMs = -1;
                    events.add(new HearingEvent.FalseInterruption(nowMs, String.join(" ", said)));
                }
                return;
            }
        }
        if (!turnPending) {
            return;
        }
        List<String> said = turnWords();
        EndOfTurn.Decision decision = endOfTurn.decide(said);
        EndOfTurn.Reason reason = decision.reason();
        long waitMs = decision.waitMs();
        boolean wordsIn = !said.isEmpty() && words.heardThroughMs() >= lastSpeechEndMs - WORDS_COVER_SLACK_MS;
        // Any words that leave nothing hanging are worth the model's run: the recognizer's answer to Finalize
        // is on its way, and the verdict should be ready when it comes.
        if (verdict == Verdict.AWAITING_WORDS && !said.isEmpty() && reason != EndOfTurn.Reason.UNFINISHED) {
            verdict = Verdict.WANTED;
            // Asked this late into the silence, the model's first hearing is as good as a second one.
            secondLookTaken = silenceMs >= SECOND_LOOK_MS;
            events.add(new HearingEvent.CallerStillSilent(nowMs));
            return;
        }
        // At the first look, only a sentence the recognizer closed agrees with the model: a gap between two
        // words sounds finished to it often enough. At the second, any words that leave nothing hanging do.
        boolean wordsAgree = reason == EndOfTurn.Reason.COMPLETE_SENTENCE
                || (secondLookTaken && reason != EndOfTurn.Reason.UNFINISHED);
        if (verdict == Verdict.COMPLETE && wordsAgree && wordsIn) {
            reason = EndOfTurn.Reason.HEARD_COMPLETE;
            waitMs = 0;
        } else if (verdict == Verdict.UNFINISHED) {
            // A sentence the recognizer closed that the model hears going on: the two disagree, so neither the
            // short wait nor the long one, but the one for a turn that is unclear.
            reason = EndOfTurn.Reason.HEARD_UNFINISHED;
            waitMs = decision.reason() == EndOfTurn.Reason.COMPLETE_SENTENCE ? settings.endOfTurn().unclearMs()
                    : Math.max(waitMs, settings.endOfTurn().unfinishedMs());
        }
        boolean undecided = verdict == Verdict.UNFINISHED || verdict == Verdict.COMPLETE;
        if (undecided && !secondLookTaken && silenceMs >= SECOND_LOOK_MS && silenceMs < waitMs) {
            secondLookTaken = true;
            verdict = Verdict.WANTED;
            events.add(new HearingEvent.CallerStillSilent(nowMs));
            return;
        }
        if (silenceMs >= waitMs) {
            // A soft first word can start before the voice-activity onset: the recognizer dates it better.
            long firstWordMs = words.firstStartSince(Math.max(lastTurnEndedMs, turnStartMs - TURN_WORD_SLACK_MS));
            long spokeFromMs = firstWordMs >= 0 ? Math.min(turnStartMs, firstWordMs) : turnStartMs;
            endedTurnStartMs = turnStartMs;
            endedTurnSpeechEndMs = lastSpeechEndMs;
            turnEndedBeforeMs = lastTurnEndedMs;
            turnPending = false;
            interrupted = false;
            turnStartMs = -1;
            verdict = Verdict.NOT_ASKED;
            lastTurnEndedMs = nowMs;
            events.add(new HearingEvent.TurnEnded(nowMs, reason, silenceMs, String.join(" ", said), spokeFromMs));
        }
    }

    /** Whether the current pause ends a turn the turn model should hear: then {@link #verdictAsked()}. */
    public boolean wantsVerdict() {
        return verdict == Verdict.WANTED;
    }

    /**
     * The turn model was asked about the current pause.
     *
     * @return the pause's key (where the speech stopped), which its verdict must carry
     */
    public long verdictAsked() {
        verdict = Verdict.PENDING;
        return lastSpeechEndMs;
    }

    /** The turn model could not be asked (it is busy): the words alone decide this pause. */
    public void noVerdict() {
        verdict = Verdict.NOT_ASKED;
    }

    /**
     * What the turn model heard at the pause {@code stoppedAtMs}. A verdict on a pause the caller has since
     * talked through, or on a turn already over, is ignored.
     */
    public List<HearingEvent> onVerdict(long stoppedAtMs, boolean complete) {
        if (!awaitsVerdict(stoppedAtMs)) {
            return List.of();
        }
        verdict = complete ? Verdict.COMPLETE : Verdict.UNFINISHED;
        return decideNow();
    }

    /** Whether a verdict on the pause {@code stoppedAtMs} is still wanted. */
    public boolean awaitsVerdict(long stoppedAtMs) {
        return verdict == Verdict.PENDING && !speaking && stoppedAtMs == lastSpeechEndMs;
    }

    /** More words came in: a pause waiting only for them is decided now rather than at the next window. */
    public List<HearingEvent> onWords() {
        if (!speaking) {
            return decideNow();
        }
        if (!held) {
            return List.of();
        }
        List<HearingEvent> events = new ArrayList<>(1);
        considerInterrupting(lastWindowEndMs, agentSpeaking, events);
        return events;
    }

    private List<HearingEvent> decideNow() {
        List<HearingEvent> events = new ArrayList<>(1);
        considerEndOfTurn(lastWindowEndMs, events);
        return events;
    }

    /** Where the pending turn's speech began, or -1 with no turn pending. */
    public long turnStartMs() {
        return turnStartMs;
    }

    /**
     * What the caller's turn would say if it ended now: set while they are silent with a turn pending (the
     * end-of-turn wait is running), null otherwise. The same text a {@link HearingEvent.TurnEnded} would carry.
     */
    public String turnSoFar() {
        if (speaking || !turnPending) {
            return null;
        }
        return String.join(" ", turnWords());
    }

    /**
     * Whether the recognizer's words for the pending turn are all in: the caller is silent and the words reach
     * where they stopped. What {@link #turnSoFar()} says then is what the turn will say if it ends in this pause.
     */
    public boolean wordsReachPause() {
        return !speaking && turnPending && words.heardThroughMs() >= lastSpeechEndMs - WORDS_COVER_SLACK_MS;
    }

    private List<String> turnWords() {
        return words.since(Math.max(lastTurnEndedMs, turnStartMs - TURN_WORD_SLACK_MS));
    }

    private boolean onlyBackchannels(List<String> said) {
        for (String word : said) {
            String bare = EndOfTurn.bare(word);
            if (!bare.isEmpty() && !settings.backchannels().contains(bare)) {
                return false;
            }
        }
        return true;
    }

    public boolean callerSpeaking() {
        return speaking;
    }

    /** The caller is speaking, or has spoken and their turn has not yet been judged over. */
    public boolean turnUnderWay() {
        return speaking || turnPending;
    }
}
