package parley.hearing;

import java.time.Duration;
import java.util.List;
import java.util.Random;

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
    void talkingOverTheAgentClearsTwilioQuicklyAndTheHistoryKeepsOnlyWhatWasHeard() throws Exception {
        WatchedCall watched = call(SimulatedCall.to(mediaUrl().toString()).callSid("CAbargein0000000000000000000000001")
                .line(CallerLine.say("Sorry, what is this call about?").atMs(3000))
                .maxDuration(Duration.ofSeconds(20)));
        SimulationResult result = watched.result();

        SimulationEvent.CallerSpeechStart spoke = result.events(SimulationEvent.CallerSpeechStart.class).get(0);
        long onset = spoke.atMs() + HearingPipelineTest.firstLoudSampleMs(voice.speakPcm8k("Sorry, what is this call about?"));
        List<SimulationEvent.Clear> clears = result.events(SimulationEvent.Clear.class);
        assertThat(clears).as("one barge-in").hasSize(1);
        long clearDelay = clears.get(0).atMs() - onset;
        System.out.printf("Barge-in: the caller heard the agent stop %d ms after they started talking%n", clearDelay);
        assertThat(clearDelay).isBetween(240L, 300L);

        long heardMs = clears.get(0).atMs() - result.firstAgentAudioMs().orElseThrow();
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
        assertThat(history.get(1)).isEqualTo(new ConversationHistory.Entry(ConversationHistory.Speaker.CALLER,
                "Sorry, what is this call about?", false));
        SimulationEvent.CallerSpeechStop stopped = result.events(SimulationEvent.CallerSpeechStop.class).get(0);
        List<SimulationEvent.AgentAudioStart> agent = result.events(SimulationEvent.AgentAudioStart.class);
        assertThat(agent).hasSizeGreaterThanOrEqualTo(2);
        // Not before the recognizer's words for the whole turn are in: the sandbox gives them 150 ms late.
        assertThat(agent.get(1).atMs() - stopped.atMs()).as("the agent answers the caller's turn")
                .isBetween(150L, 1000L);
        assertThat(history.get(2).text()).isEqualTo(script.states().get("discovery").say().get(0));
    }

    @Test
    void aDrawnOutBackchannelStopsTheAgentOnlyUntilItIsRecognised() throws Exception {
        WatchedCall watched = call(SimulatedCall.to(mediaUrl().toString()).callSid("CAuhhuh0000000000000000000000001")
                .line(CallerLine.say("Uh-huh.").atMs(2500))
                .maxDuration(Duration.ofSeconds(25)));
        SimulationResult result = watched.result();

        SimulationEvent.CallerSpeechStop stopped = result.events(SimulationEvent.CallerSpeechStop.class).get(0);
        List<SimulationEvent.AgentAudioStart> agent = result.events(SimulationEvent.AgentAudioStart.class);
        assertThat(result.clears()).as("480 ms of \"uh-huh\" outlasts min-interrupt").isEqualTo(1);
        assertThat(agent.get(1).atMs() - stopped.atMs()).as("resumes once the word is known and the caller is quiet")
                .isBetween(200L, 600L);
        List<ConversationHistory.Entry> history = watched.history();
        assertThat(history).extracting(ConversationHistory.Entry::speaker)
                .as("a backchannel is not a turn").doesNotContain(ConversationHistory.Speaker.CALLER);
        assertThat(history.get(history.size() - 1).text()).as("the cut sentence, said again to its end")
                .endsWith("how you schedule your deliveries?");
    }

    @Test
    void speechWithNoWordsIsAFalseInterruptionAndTheAgentTakesItsSentenceUpAgain() throws Exception {
        // Speech the recognizer has no words for (not announced to the sandbox): it hears no words.
        SimulationResult result = call(SimulatedCall.to(mediaUrl().toString()).callSid("CAhum00000000000000000000000001")
                .line(CallerLine.pcm("unrecognised speech", voice.speakPcm8k("Hmm, well, let me see.")).atMs(3000))
                .maxDuration(Duration.ofSeconds(25))).result();

        SimulationEvent.CallerSpeechStop stopped = result.events(SimulationEvent.CallerSpeechStop.class).get(0);
        List<SimulationEvent.AgentAudioStart> agent = result.events(SimulationEvent.AgentAudioStart.class);
        assertThat(result.clears()).isEqualTo(1);
        assertThat(agent).hasSizeGreaterThanOrEqualTo(2);
        assertThat(agent.get(1).atMs() - stopped.atMs()).as("silence before the agent picks up again")
                .isBetween(1000L, 1700L);
    }

    @Test
    void aCoughDuringTheGreetingDoesNotInterrupt() throws Exception {
        SimulationResult result = call(SimulatedCall.to(mediaUrl().toString()).callSid("CAcough00000000000000000000000001")
                .line(CallerLine.pcm("cough", cough()).atMs(2500))
                .maxDuration(Duration.ofSeconds(20))).result();

        assertThat(result.clears()).isZero();
        assertThat(result.events(SimulationEvent.AgentAudioStart.class)).as("the greeting played through").hasSize(1);
    }

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
