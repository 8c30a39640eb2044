package parley.simulator;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import parley.simulator.SimulationEvent.AgentAudioStart;
import parley.simulator.SimulationEvent.AgentAudioStop;
import parley.simulator.SimulationEvent.Clear;
import parley.simulator.SimulationEvent.MarkEchoed;

/**
 * What happened in one simulated call.
 *
 * @param call the call as placed, with the SIDs it used
 * @param durationMs the length of the call on the media timeline, from the stream start to the hang-up or close
 * @param callerPcm the caller's audio as sent, 8 kHz, on the same timeline as {@code agentPcm}
 * @param agentPcm the agent's audio as played to the caller (after clears), 8 kHz
 * @param events what happened, in order
 * @param received how many messages of each {@code event} type the agent sent, by name
 * @param violations what the agent sent that Twilio would not accept
 */
public record SimulationResult(
        SimulatedCall call,
        long durationMs,
        short[] callerPcm,
        short[] agentPcm,
        List<SimulationEvent> events,
        Map<String, Integer> received,
        List<ProtocolViolation> violations) {

    public SimulationResult {
        events = List.copyOf(events);
        received = Collections.unmodifiableMap(new TreeMap<>(received));
        violations = List.copyOf(violations);
    }

    /** The events of one kind, in order. */
    public <E extends SimulationEvent> List<E> events(Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** How long agent audio played in total, summed over each start-to-stop stretch. */
    public long agentAudioMs() {
        List<AgentAudioStart> starts = events(AgentAudioStart.class);
        List<AgentAudioStop> stops = events(AgentAudioStop.class);
        long total = 0;
        // The simulator closes every stretch by the end of the call, so starts and stops pair up.
        for (int i = 0; i < stops.size(); i++) {
            total += stops.get(i).atMs() - starts.get(i).atMs();
        }
        return total;
    }

    /** When the caller first heard the agent, if ever. */
    public OptionalLong firstAgentAudioMs() {
        return events(AgentAudioStart.class).stream().mapToLong(SimulationEvent::atMs).findFirst();
    }

    public int marksEchoed() {
        return events(MarkEchoed.class).size();
    }

    public int clears() {
        return events(Clear.class).size();
    }
}
