package parley.conversation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.io.Resource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a sales script from YAML and checks it. Every problem is reported with the file and line it is on,
 * because the people who write scripts are not the people who read stack traces.
 */
public final class ScriptLoader {

    private static final Set<String> STATE_KEYS = Set.of("goal", "say", "slots", "transitions", "outcome", "action",
            "transfer_to");

    private final String source;
    private final String version;

    private ScriptLoader(String source, String version) {
        this.source = source;
        this.version = version;
    }

    public static SalesScript load(Resource resource) {
        String source = resource.getDescription();
        try (InputStream in = resource.getInputStream()) {
            byte[] text = in.readAllBytes();
            Node root = new Yaml(new LoaderOptions()).compose(
                    new InputStreamReader(new ByteArrayInputStream(text), StandardCharsets.UTF_8));
            return new ScriptLoader(source, version(text)).read(root);
        } catch (MarkedYAMLException e) {
            throw new ScriptException(source, e.getProblemMark().getLine() + 1, e.getProblem());
        } catch (IOException e) {
            throw new ScriptException(source, 0, "cannot be read: " + e.getMessage());
        }
    }

    /**
     * A script's version is its text's: the first 12 hex digits of its SHA-256, so a call record names the exact
     * script it followed without anyone having to remember to number an edit.
     */
    static String version(byte[] text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private SalesScript read(Node root) {
        MappingNode script = mapping(root, "a script");
        String name = text(required(script, "name"), "name");
        Node startNode = required(script, "start");
        String start = text(startNode, "start");
        Map<String, SalesScript.State> states = new LinkedHashMap<>();
        Map<String, Node> stateNodes = new LinkedHashMap<>();
        for (NodeTuple entry : mapping(required(script, "states"), "states").getValue()) {
            String stateName = text(entry.getKeyNode(), "a state name");
            if (states.containsKey(stateName)) {
                throw at(entry.getKeyNode(), "state '" + stateName + "' is defined twice");
            }
            states.put(stateName, state(stateName, mapping(entry.getValueNode(), "state '" + stateName + "'")));
            stateNodes.put(stateName, entry.getValueNode());
        }
        Node anytimeNode = optional(script, "anytime");
        List<SalesScript.Transition> anytime = anytimeNode == null ? List.of() : transitions(anytimeNode, "anytime");
        if (!states.containsKey(start)) {
            throw at(startNode, "start state '" + start + "' is not among the states " + states.keySet());
        }
        for (Map.Entry<String, SalesScript.State> state : states.entrySet()) {
            checkTargets(state.getValue().transitions(), states, stateNodes.get(state.getKey()));
        }
        checkTargets(anytime, states, anytimeNode);
        anytime = CommonIntents.joinedWith(anytime, states, intentOverrides(optional(script, "intents"), states));
        // Scripts are read top to bottom: the order of the states is kept.
        Node voicemailNode = optional(script, "voicemail");
        String voicemail = voicemailNode == null ? null : text(voicemailNode, "voicemail");
        return new SalesScript(name, source, version, start, Collections.unmodifiableMap(states), anytime, voicemail,
                notUnderstood(optional(script, "not_understood")), silence(optional(script, "silence")));
    }

    private SalesScript.NotUnderstood notUnderstood(Node node) {
        if (node == null) {
            return SalesScript.NotUnderstood.ASK_AGAIN_ALWAYS;
        }
        MappingNode section = mapping(node, "not_understood");
        Node askAgainNode = optional(section, "ask_again");
        int askAgain = 1;
        if (askAgainNode != null) {
            String times = text(askAgainNode, "ask_again");
            if (!times.matches("\\d{1,2}")) {
                throw at(askAgainNode, "ask_again must be how many times to ask again, like 1, not '" + times + "'");
            }
            askAgain = Integer.parseInt(times);
        }
        return new SalesScript.NotUnderstood(askAgain, text(required(section, "close"), "close"));
    }

    private SalesScript.Silence silence(Node node) {
        if (node == null) {
            return null;
        }
        MappingNode section = mapping(node, "silence");
        Node afterNode = required(section, "after");
        Duration after;
        try {
            after = DurationStyle.detectAndParse(text(afterNode, "after"), ChronoUnit.SECONDS);
        } catch (IllegalArgumentException e) {
            throw at(afterNode, "after must be a duration, like 8s, not '" + text(afterNode, "after") + "'");
        }
        if (after.toMillis() < 1000) {
            throw at(afterNode, "after must be at least 1s: shorter, the agent would talk over a caller drawing breath");
        }
        return new SalesScript.Silence(after, text(required(section, "check_in"), "check_in"),
                text(required(section, "close"), "close"));
    }

    /** The script's {@code intents:}: a common intent's name, then the state it goes to or {@code off}. */
    private Map<String, String> intentOverrides(Node node, Map<String, SalesScript.State> states) {
        Map<String, String> overrides = new LinkedHashMap<>();
        if (node == null) {
            return overrides;
        }
        for (NodeTuple entry : mapping(node, "intents").getValue()) {
            String intent = text(entry.getKeyNode(), "an intent's name");
            String target = text(entry.getValueNode(), "where intent '" + intent + "' goes");
            if (!CommonIntents.names().contains(intent)) {
                throw at(entry.getKeyNode(), "unknown intent '" + intent + "' (known: " + CommonIntents.names() + ")");
            }
            if (!CommonIntents.OFF.equals(target) && !states.containsKey(target)) {
                throw at(entry.getValueNode(), "intent '" + intent + "' goes to '" + target
                        + "', which is not among the states " + states.keySet() + " (or 'off')");
            }
            overrides.put(intent, target);
        }
        return overrides;
    }

    private SalesScript.State state(String name, MappingNode node) {
        for (NodeTuple tuple : node.getValue()) {
            String key = text(tuple.getKeyNode(), "a key");
            if (!STATE_KEYS.contains(key)) {
                throw at(tuple.getKeyNode(), "state '" + name + "' has an unknown key '" + key + "' (known: "
                        + STATE_KEYS + ")");
            }
        }
        String goal = text(required(node, "goal"), "goal");
        List<String> lines = texts(required(node, "say"), "'say' of state '" + name + "'");
        Map<String, SalesScript.Slot> slots = new LinkedHashMap<>();
        Node slotsNode = optional(node, "slots");
        if (slotsNode != null) {
            for (NodeTuple slot : mapping(slotsNode, "slots").getValue()) {
                slots.put(text(slot.getKeyNode(), "a slot name"), slot(mapping(slot.getValueNode(), "a slot")));
            }
        }
        Node transitionsNode = optional(node, "transitions");
        List<SalesScript.Transition> transitions = transitionsNode == null ? List.of()
                : transitions(transitionsNode, "transitions of state '" + name + "'");
        Node outcomeNode = optional(node, "outcome");
        SalesScript.Outcome outcome = outcomeNode == null ? null
                : choice(outcomeNode, SalesScript.Outcome.class, "outcome");
        Node actionNode = optional(node, "action");
        SalesScript.Action action = actionNode == null ? null : choice(actionNode, SalesScript.Action.class, "action");
        Node transferNode = optional(node, "transfer_to");
        String transferTo = transferNode == null ? null : text(transferNode, "transfer_to");
        if (action == SalesScript.Action.TRANSFER && (transferTo == null || !transferTo.matches("\\+?[0-9]{6,15}"))) {
            throw at(transferNode == null ? actionNode : transferNode, "state '" + name
                    + "' transfers the call: 'transfer_to' must be the phone number to dial, like +15551234567");
        }
        boolean ends = outcome != null || action == SalesScript.Action.TRANSFER;
        if (ends && !transitions.isEmpty()) {
            throw at(transitionsNode, "state '" + name + "' ends the call ("
                    + (outcome != null ? "outcome " + text(outcomeNode, "outcome") : "transfer") + ") and cannot have transitions");
        }
        if (!ends && transitions.isEmpty()) {
            throw at(node, "state '" + name + "' has neither transitions nor an outcome: the call would stall there");
        }
        return new SalesScript.State(goal, lines, Collections.unmodifiableMap(slots), transitions, outcome, action,
                transferTo);
    }

    private SalesScript.Slot slot(MappingNode node) {
        SalesScript.SlotType type = choice(required(node, "type"), SalesScript.SlotType.class, "slot type");
        Node requiredNode = optional(node, "required");
        boolean required = requiredNode != null && Boolean.parseBoolean(text(requiredNode, "required"));
        Node valuesNode = optional(node, "values");
        List<String> values = valuesNode == null ? List.of() : texts(valuesNode, "values");
        if (type == SalesScript.SlotType.ENUM && values.isEmpty()) {
            throw at(node, "an enum slot needs its 'values'");
        }
        Node partialNode = optional(node, "partial");
        boolean partial = partialNode != null && Boolean.parseBoolean(text(partialNode, "partial"));
        if (partial && type != SalesScript.SlotType.DATETIME) {
            throw at(partialNode, "only a datetime slot can be partial (take a day or a time alone)");
        }
        return new SalesScript.Slot(type, required, values, partial);
    }

    private List<SalesScript.Transition> transitions(Node node, String what) {
        if (!(node instanceof SequenceNode sequence)) {
            throw at(node, what + " must be a list");
        }
        List<SalesScript.Transition> transitions = new ArrayList<>();
        for (Node item : sequence.getValue()) {
            MappingNode transition = mapping(item, "a transition");
            String to = text(required(transition, "to"), "to");
            String when = text(required(transition, "when"), "when");
            Node examplesNode = optional(transition, "examples");
            List<String> examples = examplesNode == null ? List.of() : texts(examplesNode, "examples");
            Node dtmfNode = optional(transition, "dtmf");
            String dtmf = dtmfNode == null ? null : text(dtmfNode, "dtmf");
            if (dtmf != null && !dtmf.matches("[0-9*#]")) {
                throw at(dtmfNode, "dtmf must be one key: 0-9, * or #, not '" + dtmf + "'");
            }
            transitions.add(new SalesScript.Transition(to, when, examples, dtmf));
        }
        return List.copyOf(transitions);
    }

    private void checkTargets(List<SalesScript.Transition> transitions, Map<String, SalesScript.State> states, Node near) {
        for (SalesScript.Transition transition : transitions) {
            if (!states.containsKey(transition.to())) {
                throw at(near, "a transition goes to '" + transition.to() + "', which is not among the states "
                        + states.keySet());
            }
        }
    }

    private <E extends Enum<E>> E choice(Node node, Class<E> type, String what) {
        String value = text(node, what);
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            List<String> known = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                known.add(constant.name().toLowerCase(Locale.ROOT));
            }
            throw at(node, "unknown " + what + " '" + value + "' (known: " + known + ")");
        }
    }

    private List<String> texts(Node node, String what) {
        if (!(node instanceof SequenceNode sequence) || sequence.getValue().isEmpty()) {
            throw at(node, what + " must list at least one entry");
        }
        List<String> texts = new ArrayList<>();
        for (Node item : sequence.getValue()) {
            String value = text(item, "an entry of " + what);
            if (value.isBlank()) {
                throw at(item, "an entry of " + what + " is empty");
            }
            texts.add(value);
        }
        return List.copyOf(texts);
    }

    private static Node optional(MappingNode mapping, String key) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return tuple.getValueNode();
            }
        }
        return null;
    }

    private Node required(MappingNode mapping, String key) {
        Node node = optional(mapping, key);
        if (node == null) {
            throw at(mapping, "'" + key + "' is missing");
        }
        return node;
    }

    private MappingNode mapping(Node node, String what) {
        if (node instanceof MappingNode mapping) {
            return mapping;
        }
        throw at(node, what + " must be a mapping of keys to values");
    }

    private String text(Node node, String what) {
        if (node instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        throw at(node, what + " must be a single value");
    }

    private ScriptException at(Node node, String problem) {
        return new ScriptException(source, node == null ? 0 : node.getStartMark().getLine() + 1, problem);
    }

    /** A script that cannot be used, with where and why. */
    public static final class ScriptException extends RuntimeException {
        public ScriptException(String source, int line, String problem) {
            super(source + (line > 0 ? ", line " + line : "") + ": " + problem);
        }
    }
}
