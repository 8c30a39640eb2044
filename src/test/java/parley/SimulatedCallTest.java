package parley;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import parley.audio.MuLaw;
import parley.audio.OfflineVoice;
import parley.audio.WavFiles;
import parley.call.CallRegistry;
import parley.conversation.SalesScript;
import parley.simulator.CallSimulator;
import parley.simulator.SimulatedCall;
import parley.simulator.SimulationEvent;
import parley.simulator.SimulationResult;
import parley.support.RunningParley;
import parley.support.SpokenLine;
import parley.telephony.CallStreamComponent;

import static org.assertj.core.api.Assertions.assertThat;

/** A whole call through the simulator, as Twilio would place it: the caller hears the greeting. */
class SimulatedCallTest extends RunningParley {

    @Autowired
    SalesScript script;

    @Autowired
    OfflineVoice voice;

    @Autowired
    CallRegistry calls;

    @Autowired
    CallStreamComponent mediaStreams;

    @Test
    void theCallerHearsTheGreetingAndTheCallClosesCleanly(@TempDir Path out) throws Exception {
        SimulationResult result;
        try (CallSimulator simulator = new CallSimulator()) {
            result = simulator.run(SimulatedCall.to(mediaUrl().toString())
                    .parameter("From", "+15550100001")
                    .say("Hi Sam, sure, I have a minute.")
                    .recordTo(out.resolve("call.wav"))
                    .reportTo(out.resolve("call.json"))
                    .maxDuration(Duration.ofSeconds(30))
                    .build());
        }

        short[] greeting = MuLaw.decode(SpokenLine.mulaw(voice, script.openingLine()));
        short[] heard = result.agentPcm();
        int at = indexOf(heard, Arrays.copyOfRange(greeting, 0, 4000));
        assertThat(at).as("the start of the greeting in what the caller heard").isNotNegative();
        assertThat(Arrays.copyOfRange(heard, at, at + greeting.length)).as("the whole greeting, unbroken")
                .isEqualTo(greeting);
        assertThat(rms(greeting)).as("real speech, not silence").isGreaterThan(1000);

        assertThat(result.violations()).isEmpty();
        assertThat(result.clears()).isZero();
        List<SimulationEvent.AgentAudioStart> agentStarts = result.events(SimulationEvent.AgentAudioStart.class);
        List<SimulationEvent.AgentAudioStop> agentStops = result.events(SimulationEvent.AgentAudioStop.class);
        assertThat(agentStops.get(0).atMs() - agentStarts.get(0).atMs()).as("the greeting, played in one piece")
                .isBetween(greeting.length / 8L - 40, greeting.length / 8L + 40);
        assertThat(result.marksEchoed()).isGreaterThanOrEqualTo((int) (greeting.length / 8 / 100));

        SimulationEvent.CallerSpeechStop callerDone = result.events(SimulationEvent.CallerSpeechStop.class).get(0);
        assertThat(agentStarts).as("the agent answers the caller's turn").hasSize(2);
        long answeredAfter = agentStarts.get(1).atMs() - callerDone.atMs();
        // Not before the recognizer's words for the whole turn are in: the sandbox gives them 150 ms late.
        assertThat(answeredAfter).as("the agent waits for the end of the caller's turn, then answers")
                .isBetween(150L, 1500L);
        short[] answer = MuLaw.decode(SpokenLine.mulaw(voice, script.states().get("discovery").say().get(0)));
        assertThat(indexOf(heard, Arrays.copyOfRange(answer, 0, 4000))).as("the script's next line")
                .isGreaterThan(at + greeting.length);

        short[] recorded = WavFiles.readPcm8k(out.resolve("call.wav"));
        assertThat(recorded).as("the stereo recording, mixed down").isNotEmpty();
        assertThat(Files.readString(out.resolve("call.json"))).contains("agent_audio_start", "caller_speech_start");

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> calls.size() == 0 && mediaStreams.openLanes() == 0);
    }

    private static int indexOf(short[] haystack, short[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static double rms(short[] pcm) {
        double sum = 0;
        for (short s : pcm) {
            sum += (double) s * s;
        }
        return Math.sqrt(sum / pcm.length);
    }
}
