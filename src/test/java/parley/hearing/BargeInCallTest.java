package parley.hearing;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import parley.audio.OfflineVoice;
import parley.call.CallRegistry;
import parley.conversation.ConversationHistory;
import parley.conversation.SalesScript;
import parley.simulator.CallerLine;
import parley.simulator.SimulatedCall;
import parley.simulator.SimulationEvent;
import parley.simulator.SimulationResult;
import parley.support.OtherVoice;
import parley.support.RunningParley;
import parley.support.WatchedCall;
import parley.support.SpokenLine;

import static org.assertj.core.api.Assertions.assertThat;

/** Whole simulated calls in which the caller talks over the agent's greeting, with the default settings. */
class BargeInCallTest extends RunningParley {

    @Autowired
    CallRegistry calls;

    @Autowired
    SalesScript script;

    @Autowired
    OfflineVoice voice;

    @Test
    void talkingOverTheAgentPausesItAtOnceAndItsWordsClearTwilioAndTheHistoryKeepsOnlyWhatWasHeard() throws Exception {
        WatchedCall watched = call(SimulatedCall.to(mediaUrl().toString()).callSid("CAbargein0000000000000000000000001")
                .line(CallerLine.say("Sorry, what is this call about?").atMs(3000))
                .maxDuration(Duration.ofSeconds(20)));
        SimulationResult result = watched.result();

        long onset = onset(result, "Sorry, what is this call about?");
        long silentAt = silentAfter(result, onset);
        List<SimulationEvent.Clear> clears = result.events(SimulationEvent.Clear.class);
        assertThat(clears).as("one barge-in").hasSize(1);
        System.out.printf("Barge-in: the caller heard the agent fall silent %d ms after they started talking; "
                + "the recognizer's words cleared Twilio %d ms after%n", silentAt - onset, clears.get(0).atMs() - onset);
        assertThat(silentAt - onset).as("held at once: only Twilio's short buffer plays on").isBetween(1L, 300L);
        assertThat(clears.get(0).atMs()).as("cleared once the words show it is not a backchannel")
                .isGreaterThanOrEqualTo(silentAt);
        assertThat(clears.get(0).droppedMs()).as("nothing left in Twilio's buffer to drop").isZero();

        long heardMs = silentAt - result.firstAgentAudioMs().orElseThrow();
        String greeting = script.openingLine();
        List<ConversationHistory.Entry> history = watched.history();
        ConversationHistory.Entry cut = history.get(0);
        assertThat(cut.speaker()).isEqualTo(ConversationHistory.Speaker.AGENT);
        assertThat(cut.interrupted()).isTrue();
        assertThat(greeting).startsWith(cut.text());
        assertThat(cut.text()).isNotEqualTo(greeting);
        // The offline voice gives no word timings: the cut is placed by the words' lengths, within two words of
        // what the caller heard (the heard position itself is exact to a mark, 100 ms).
        double heardShare = (double) heardMs / (SpokenLine.mulaw(voice, greeting).length / 8);
        int words = greeting.split("\\s+").length;
        assertThat(cut.text().split("\\s+").length).isBetween((int) (heardShare * words) - 2, (int) (heardShare * words) + 2);

        // The caller's words make it their turn; the agent answers it with the script's next line.
        assertThat(WatchedCall.Spoken.of(history.get(1))).isEqualTo(new WatchedCall.Spoken(ConversationHistory.Speaker.CALLER,
                "Sorry, what is this call about?", false));
        SimulationEvent.CallerSpeechStop stopped = result.events(SimulationEvent.CallerSpeechStop.class).get(0);
        List<SimulationEvent.AgentAudioStart> agent = result.events(SimulationEvent.AgentAudioStart.class);
        assertThat(agent).hasSizeGreaterThanOrEqualTo(2);
        // Not before the recognizer's words for the whole turn are in: the sandbox gives them 150 ms late.
        assertThat(agent.get(1).atMs() - stopped.atMs()).as("the agent answers the caller's turn")
                .isBetween(150L, 1000L);
        assertThat(history.get(2).text()).isEqualTo(script.states().get("discovery").say().get(0));
    }

    /**
     * Backchannels in a voice no threshold was tuned on, each on its own call over the greeting: the agent
     * pauses for them at most, and goes on from where it held.
     */
    @Test
    void heldOutBackchannelsNeverClearTheAgentNorRestartItsSentence() throws Exception {
        List<String> backchannels = List.of("Uh-huh.", "Yeah.", "Mm-hmm.", "Okay.", "Right.");
        Map<String, short[]> spoken = new OtherVoice("held-out", 175, 1.08).speak(backchannels);
        ExecutorService callers = Executors.newFixedThreadPool(backchannels.size());
        Map<String, Future<WatchedCall>> placed = new LinkedHashMap<>();
        for (int i = 0; i < backchannels.size(); i++) {
            String word = backchannels.get(i);
            SimulatedCall.Builder call = SimulatedCall.to(mediaUrl().toString())
                    .callSid(String.format("CAbackchannel%019d", i))
                    .line(CallerLine.spoken(word, spoken.get(word)).atMs(2500))
                    .maxDuration(Duration.ofSeconds(25));
            placed.put(word, callers.submit(() -> call(call)));
        }
        callers.shutdown();

        String greeting = script.openingLine();
        for (Map.Entry<String, Future<WatchedCall>> each : placed.entrySet()) {
            WatchedCall watched = each.getValue().get();
            SimulationResult result = watched.result();
            long stopped = result.events(SimulationEvent.CallerSpeechStop.class).get(0).atMs();
            List<SimulationEvent.AgentAudioStart> starts = result.events(SimulationEvent.AgentAudioStart.class);
            List<SimulationEvent.AgentAudioStop> stops = result.events(SimulationEvent.AgentAudioStop.class);
            List<Long> pauses = new java.util.ArrayList<>();
            for (int i = 0; i + 1 < starts.size(); i++) {
                pauses.add(starts.get(i + 1).atMs() - stops.get(i).atMs());
            }
            System.out.printf("\"%s\" over the greeting: %d clear(s); the caller heard the agent pause for %s ms, "
                    + "ending %d ms after they stopped%n", each.getKey(), result.clears(), pauses,
                    starts.size() > 1 ? starts.get(1).atMs() - stopped : -1);
            assertThat(result.clears()).as("\"%s\" clears nothing", each.getKey()).isZero();
            assertThat(watched.spoken()).as("\"%s\": the greeting heard once, whole, and no caller turn",
                    each.getKey()).containsExactly(new WatchedCall.Spoken(ConversationHistory.Speaker.AGENT,
                    greeting, false));
            assertThat(result.agentAudioMs()).as("\"%s\": not a sample of the greeting said twice", each.getKey())
                    .isLessThanOrEqualTo(SpokenLine.mulaw(voice, greeting).length / 8 + 20);
        }
    }

    @Test
    void speechWithNoWordsNeverTakesTheTurnAndTheAgentGoesOnOnceTheRecognizerHasSaidSo() throws Exception {
        // Speech the recognizer has no words for (not announced to the sandbox): it hears no words.
        WatchedCall watched = call(SimulatedCall.to(mediaUrl().toString()).callSid("CAhum00000000000000000000000001")
                .line(CallerLine.pcm("unrecognised speech", voice.speakPcm8k("Hmm, well.")).atMs(3000))
                .maxDuration(Duration.ofSeconds(25)));
        SimulationResult result = watched.result();

        SimulationEvent.CallerSpeechStop stopped = result.events(SimulationEvent.CallerSpeechStop.class).get(0);
        List<SimulationEvent.AgentAudioStart> agent = result.events(SimulationEvent.AgentAudioStart.class);
        assertThat(result.clears()).as("held through it: shorter than min-interrupt").isZero();
        assertThat(agent).hasSize(2);
        // The line's audio ends with the voice's 50 ms tail; the pause counts from the speech before it.
        assertThat(agent.get(1).atMs() - stopped.atMs()).as("the agent goes on once the recognizer found nothing")
                .isBetween(REJOIN_MS - 100, 1000L);
        assertThat(watched.spoken()).containsExactly(new WatchedCall.Spoken(
                ConversationHistory.Speaker.AGENT, script.openingLine(), false));
    }

    @Test
    void longSpeechWithNoWordsStopsTheAgentWhichSaysItsSentenceAgainWhenNoWordsFollow() throws Exception {
        short[] speech = voice.speakPcm8k("Hmm well let me just see now what I think of that");
        SimulationResult result = call(SimulatedCall.to(mediaUrl().toString()).callSid("CAhum00000000000000000000000002")
                .line(CallerLine.pcm("unrecognised speech", speech).atMs(2500))
                .maxDuration(Duration.ofSeconds(25))).result();

        long lastSound = result.events(SimulationEvent.CallerSpeechStop.class).get(0).atMs()
                - HearingPipelineTest.silentTailMs(speech);
        List<SimulationEvent.AgentAudioStart> agent = result.events(SimulationEvent.AgentAudioStart.class);
        assertThat(result.clears()).as("talked on past min-interrupt").isEqualTo(1);
        assertThat(agent).hasSizeGreaterThanOrEqualTo(2);
        assertThat(agent.get(agent.size() - 1).atMs() - lastSound).as("silence after the caller's last sound "
                + "before the agent says its sentence again").isBetween(1000L, 1700L);
    }

    @Test
    void aCoughDuringTheGreetingDoesNotInterrupt() throws Exception {
        SimulationResult result = call(SimulatedCall.to(mediaUrl().toString()).callSid("CAcough00000000000000000000000001")
                .line(CallerLine.pcm("cough", cough()).atMs(2500))
                .maxDuration(Duration.ofSeconds(20))).result();

        assertThat(result.clears()).isZero();
        assertThat(result.events(SimulationEvent.AgentAudioStart.class)).as("the greeting played through").hasSize(1);
    }

    /**
     * The agent's voice leaking back into the caller's line 20 dB down, as the measurements had it
     * restart the greeting seven times in 12 s: each delay on its own call.
     */
    @Test
    void theAgentsOwnEchoNeverHoldsNorStopsIt() throws Exception {
        List<Long> delays = List.of(50L, 150L, 300L);
        ExecutorService callers = Executors.newFixedThreadPool(delays.size());
        Map<Long, Future<WatchedCall>> placed = new LinkedHashMap<>();
        for (long delay : delays) {
            SimulatedCall.Builder call = SimulatedCall.to(mediaUrl().toString())
                    .callSid(String.format("CAecho%026d", delay))
                    .echo(Duration.ofMillis(delay), 20)
                    .maxDuration(Duration.ofSeconds(20));
            placed.put(delay, callers.submit(() -> call(call)));
        }
        callers.shutdown();

        String greeting = script.openingLine();
        for (Map.Entry<Long, Future<WatchedCall>> each : placed.entrySet()) {
            WatchedCall watched = each.getValue().get();
            SimulationResult result = watched.result();
            assertThat(result.clears()).as("echo %d ms late", each.getKey()).isZero();
            assertThat(result.events(SimulationEvent.AgentAudioStart.class)).as("echo %d ms late: no pause",
                    each.getKey()).hasSize(1);
            assertThat(watched.spoken()).as("echo %d ms late", each.getKey()).containsExactly(
                    new WatchedCall.Spoken(ConversationHistory.Speaker.AGENT, greeting, false));
        }
    }

    @Test
    void aCallerTalkingOverTheEchoStillStopsTheAgentAtOnce() throws Exception {
        // The recognizer stand-in must not take the echo for the caller's line (a recognizer that transcribes it
        // would put the agent's words in the caller's mouth): it hears only speech louder than the echo.
        WatchedCall watched = call(SimulatedCall.to(mediaUrl().toString()).callSid("CAechobargein0000000000000000001")
                .echo(Duration.ofMillis(150), 20)
                .parameter("sandbox-speech-rms", "600")
                .line(CallerLine.say("Sorry, what is this call about?").atMs(3000))
                .maxDuration(Duration.ofSeconds(20)));
        SimulationResult result = watched.result();

        long onset = onset(result, "Sorry, what is this call about?");
        long silentAt = silentAfter(result, onset);
        System.out.printf("Barge-in through the echo: the agent fell silent %d ms after the caller began%n",
                silentAt - onset);
        assertThat(silentAt - onset).isBetween(1L, 300L);
        assertThat(result.clears()).isEqualTo(1);
        assertThat(WatchedCall.Spoken.of(watched.history().get(1))).isEqualTo(new WatchedCall.Spoken(
                ConversationHistory.Speaker.CALLER, "Sorry, what is this call about?", false));
    }

    /**
     * A caller who pauses 300 ms between two sentences of one turn: whether or not the turn seemed over in the
     * pause (and the agent began to answer it), the turn is answered once, whole.
     */
    @Test
    void aCallerWhoGoesOnRightAfterAPauseIsAnsweredOnceForTheWholeTurn() throws Exception {
        WatchedCall watched = call(SimulatedCall.to(mediaUrl().toString()).callSid("CAwenton00000000000000000000001")
                .say("Is this going to cost me anything?")
                .line(CallerLine.say("We are on a tight budget.").afterPause(300))
                .maxDuration(Duration.ofSeconds(30)));

        List<ConversationHistory.Entry> history = watched.history();
        assertThat(history).filteredOn(e -> e.speaker() == ConversationHistory.Speaker.CALLER)
                .extracting(ConversationHistory.Entry::text)
                .containsExactly("Is this going to cost me anything? We are on a tight budget.");
        assertThat(history.get(0).text()).isEqualTo(script.openingLine());
        assertThat(history.get(history.size() - 1).speaker()).as("answered, to the end")
                .isEqualTo(ConversationHistory.Speaker.AGENT);
        assertThat(history.get(history.size() - 1).interrupted()).isFalse();
        assertThat(watched.session().turns()).extracting(t -> t.said()).last()
                .isEqualTo("Is this going to cost me anything? We are on a tight budget.");
    }

    /** Where the caller's first line began to sound: its first loud sample. */
    private long onset(SimulationResult result, String line) {
        SimulationEvent.CallerSpeechStart spoke = result.events(SimulationEvent.CallerSpeechStart.class).get(0);
        return spoke.atMs() + HearingPipelineTest.firstLoudSampleMs(voice.speakPcm8k(line));
    }

    /** When the caller stopped hearing the agent, after {@code onsetMs}. */
    private static long silentAfter(SimulationResult result, long onsetMs) {
        return result.events(SimulationEvent.AgentAudioStop.class).stream()
                .mapToLong(SimulationEvent::atMs).filter(t -> t > onsetMs).findFirst().orElseThrow();
    }

    private static final long REJOIN_MS = 250;

    private WatchedCall call(SimulatedCall.Builder call) throws Exception {
        return WatchedCall.place(calls, call.idleHangup(Duration.ofMillis(2500)).build());
    }

    /** Two bursts of shaped noise, 180 ms and 120 ms: a cough, not speech. */
    private static short[] cough() {
        short[] cough = new short[8 * 600];
        Random random = new Random(3);
        burst(cough, 0, 180, random);
        burst(cough, 480, 120, random);
        return cough;
    }

    private static void burst(short[] into, int fromMs, int ms, Random random) {
        int from = fromMs * 8;
        int length = ms * 8;
        for (int i = 0; i < length; i++) {
            into[from + i] = (short) (random.nextGaussian() * 6000 * Math.sin(Math.PI * i / length));
        }
    }
}
