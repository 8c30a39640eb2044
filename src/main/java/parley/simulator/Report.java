package parley.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;

/** Writes a simulated call's timeline as JSON, for people and for scripts that check a run. */
final class Report {

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private Report() {}

    static void write(SimulationResult result, Path path) throws IOException {
        JSON.writeValue(path.toFile(), toJson(result));
    }

    static ObjectNode toJson(SimulationResult result) {
        SimulatedCall call = result.call();
        ObjectNode root = JSON.createObjectNode();
        root.put("url", call.url().toString())
                .put("account_sid", call.accountSid())
                .put("call_sid", call.callSid())
                .put("stream_sid", call.streamSid());
        root.set("custom_parameters", JSON.valueToTree(call.customParameters()));
        root.put("duration_ms", result.durationMs())
                .put("agent_audio_ms", result.agentAudioMs())
                .put("marks_echoed", result.marksEchoed())
                .put("clears", result.clears());
        if (result.firstAgentAudioMs().isPresent()) {
            root.put("first_agent_audio_ms", result.firstAgentAudioMs().getAsLong());
        } else {
            root.putNull("first_agent_audio_ms");
        }
        root.set("received", JSON.valueToTree(result.received()));
        root.set("violations", JSON.valueToTree(result.violations()));
        ArrayNode events = root.putArray("events");
        for (SimulationEvent event : result.events()) {
            ObjectNode node = events.addObject().put("type", event.type());
            node.setAll((ObjectNode) JSON.valueToTree(event));
        }
        return root;
    }
}
