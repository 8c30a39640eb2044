package parley.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The answer allowed for one turn, derived from where the sales script stands: the states the script may move
 * to next, the slots the caller may fill here, and the words to say.
 *
 * <p>The model is told to write {@code say} first so that speaking can start while it is still writing the rest
 * (see {@link StreamingAnswerParser}). Checking is strict: an unknown field or slot is a problem too, because a
 * model that invents fields has usually misread the turn.
 */
public final class AnswerSchema {

    public static final String SAY = "say";
    public static final String NEXT_STATE = "next_state";
    public static final String SLOTS = "slots";

    private static final Set<String> FIELDS = Set.of(SAY, NEXT_STATE, SLOTS);

    // Duplicate keys would let a model speak one "say" and mean another.
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final List<String> nextStates;
    private final Map<String, SlotType> slots;

    public AnswerSchema(List<String> nextStates, Map<String, SlotType> slots) {
        if (nextStates.isEmpty()) {
            throw new IllegalArgumentException("an answer needs at least one state to move to");
        }
        this.nextStates = List.copyOf(nextStates);
        // Kept in the order given, so the instruction lists the slots as the script does.
        this.slots = Collections.unmodifiableMap(new LinkedHashMap<>(slots));
    }

    public List<String> nextStates() {
        return nextStates;
    }

    public Map<String, SlotType> slots() {
        return slots;
    }

    /** The part of the prompt that tells the model the shape of its answer. */
    public String instruction() {
        StringBuilder text = new StringBuilder()
                .append("Reply with one JSON object and nothing else, its fields in this order:\n")
                .append("{\n")
                .append("  \"say\": string, // the words to speak to the caller, plain text\n")
                .append("  \"next_state\": ")
                .append(nextStates.stream().map(AnswerSchema::quoted).collect(Collectors.joining(" | ")))
                .append(",\n")
                .append("  \"slots\": {");
        if (!slots.isEmpty()) {
            text.append('\n');
            slots.forEach((name, type) -> text.append("    ")
                    .append(quoted(name)).append(type.required() ? "" : "?")
                    .append(": ").append(type.describe()).append(",\n"));
            text.append("  ");
        }
        text.append("}\n}\n");
        if (!slots.isEmpty()) {
            text.append("Slots marked ? are optional: leave out what the caller has not said.\n");
        }
        return text.toString();
    }

    /** Checks an answer given as JSON text. */
    public Verdict validate(String json) {
        try {
            return validate(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            return new Verdict.Invalid(List.of(new Problem("answer", "is not valid JSON: " + e.getOriginalMessage())));
        }
    }

    /** Checks a parsed answer, finding every problem rather than the first, so one repair can fix them all. */
    public Verdict validate(JsonNode answer) {
        if (answer == null || !answer.isObject()) {
            return new Verdict.Invalid(List.of(new Problem("answer", "must be a JSON object")));
        }
        List<Problem> problems = new ArrayList<>();
        for (Iterator<String> names = answer.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                problems.add(new Problem(name, "is not a field of the answer"));
            }
        }

        String say = null;
        JsonNode sayNode = answer.get(SAY);
        if (sayNode == null || sayNode.isNull()) {
            problems.add(new Problem(SAY, "is missing"));
        } else if (!sayNode.isTextual()) {
            problems.add(new Problem(SAY, "must be a string"));
        } else if (sayNode.asText().isBlank()) {
            problems.add(new Problem(SAY, "is blank"));
        } else {
            say = sayNode.asText();
        }

        String nextState = null;
        JsonNode stateNode = answer.get(NEXT_STATE);
        if (stateNode == null || stateNode.isNull()) {
            problems.add(new Problem(NEXT_STATE, "is missing"));
        } else if (!stateNode.isTextual()) {
            problems.add(new Problem(NEXT_STATE, "must be a string, one of " + nextStates));
        } else if (!nextStates.contains(stateNode.asText())) {
            problems.add(new Problem(NEXT_STATE, "\"" + stateNode.asText() + "\" is not one of " + nextStates));
        } else {
            nextState = stateNode.asText();
        }

        Map<String, Object> values = checkSlots(answer.get(SLOTS), problems);
        return problems.isEmpty()
                ? new Verdict.Valid(new Answer(nextState, values, say))
                : new Verdict.Invalid(problems);
    }

    private Map<String, Object> checkSlots(JsonNode given, List<Problem> problems) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (given != null && !given.isNull() && !given.isObject()) {
            problems.add(new Problem(SLOTS, "must be an object"));
            return values;
        }
        if (given != null && given.isObject()) {
            for (Iterator<String> names = given.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!slots.containsKey(name)) {
                    problems.add(new Problem(SLOTS + "." + name, "is not a slot here; slots are " + slots.keySet()));
                }
            }
        }
        slots.forEach((name, type) -> {
            String field = SLOTS + "." + name;
            JsonNode value = given == null ? null : given.get(name);
            if (value == null || value.isNull()) {
                if (type.required()) {
                    problems.add(new Problem(field, "is required"));
                }
            } else if (!value.isTextual()) {
                problems.add(new Problem(field, "must be a string"));
            } else {
                SlotType.Checked checked = type.check(value.asText());
                if (checked.problem() != null) {
                    problems.add(new Problem(field, checked.problem()));
                } else {
                    values.put(name, checked.value());
                }
            }
        });
        return values;
    }

    private static String quoted(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }
}
