package parley.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The turn-taking benchmark's language model, in a process of its own: the OpenAI-compatible stand-in answering
 * every streamed request after {@code first-token} ms (a hosted model's time to first token), then four
 * characters every {@code piece-every} ms (about 65 tokens a second). It does not read the caller's words: every
 * answer is the same spoken reply, staying in the script's current step, so that only its timing is measured.
 * Prints its base URL on the first line of standard output and runs until standard input closes.
 */
public final class ModelStandIn {

    /** The reply the benchmark hears: two phrases, the first one written after 76 characters. */
    static final String SAY = "It is 29 dollars per vehicle per month, and the first month is free. "
            + "Would you like to see how it works?";
    private static final Pattern CURRENT_STEP = Pattern.compile("Current step: (\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelStandIn() {
    }

    public static void main(String[] args) throws Exception {
        Duration firstToken = Duration.ofMillis(Long.getLong("first-token", 300));
        Duration pieceEvery = Duration.ofMillis(Long.getLong("piece-every", 15));
        try (OpenAiStandIn model = new OpenAiStandIn()) {
            model.otherwise(request -> new OpenAiStandIn.Completion(OpenAiStandIn.pieces(answer(request), 4),
                    firstToken, pieceEvery, "stop"));
            System.out.println(model.baseUrl());
            System.out.flush();
            while (System.in.read() >= 0) {
                // Runs until the benchmark that started it closes our standard input (or dies).
            }
        }
    }

    private static String answer(JsonNode request) {
        Matcher step = CURRENT_STEP.matcher(request.path("messages").path(0).path("content").asText());
        String state = step.find() ? step.group(1) : "greeting";
        return "{\"say\": " + JSON.valueToTree(SAY) + ", \"next_state\": \"" + state + "\", \"slots\": {}}";
    }
}
