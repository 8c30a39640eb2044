package parley.conversation;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    private ScriptLoader() {
    }

    public static SalesScript load(Resource resource) {
        String source = resource.getDescription();
        try (InputStream in = resource.getInputStream()) {
            Node root = new Yaml(new LoaderOptions()).compose(new InputStreamReader(in, StandardCharsets.UTF_8));
            return read(root, source);
        } catch (MarkedYAMLException e) {
            throw new ScriptException(source, e.getProblemMark().getLine() + 1, e.getProblem());
        } catch (IOException e) {
            throw new ScriptException(source, 0, "cannot be read: " + e.getMessage());
        }
    }

    private static SalesScript read(Node root, String source) {
        MappingNode script = mapping(root, source, "a script");
        String name = scalar(required(script, "name", source), source, "name");
        String start = scalar(required(script, "start", source), source, "start");
        Node statesNode = required(script, "states", source);
        Map<String, SalesScript.State> states = new LinkedHashMap<>();
        for (NodeTuple entry : mapping(statesNode, source, "states").getValue()) {
            String stateName = scalar(entry.getKeyNode(), source, "a state name");
            MappingNode state = mapping(entry.getValueNode(), source, "state '" + stateName + "'");
            String goal = scalar(required(state, "goal", source), source, "goal");
            Node sayNode = required(state, "say", source);
            List<String> lines = new ArrayList<>();
            if (!(sayNode instanceof SequenceNode sequence) || sequence.getValue().isEmpty()) {
                throw at(sayNode, source, "'say' of state '" + stateName + "' must list at least one line");
            }
            for (Node line : sequence.getValue()) {
                String text = scalar(line, source, "a line");
                if (text.isBlank()) {
                    throw at(line, source, "a line of state '" + stateName + "' is empty");
                }
                lines.add(text);
            }
            if (states.put(stateName, new SalesScript.State(goal, List.copyOf(lines))) != null) {
                throw at(entry.getKeyNode(), source, "state '" + stateName + "' is defined twice");
            }
        }
        if (!states.containsKey(start)) {
            throw at(required(script, "start", source), source,
                    "start state '" + start + "' is not among the states " + states.keySet());
        }
        // Scripts are read top to bottom: the order of the states is kept.
        return new SalesScript(name, source, start, java.util.Collections.unmodifiableMap(states));
    }

    private static Node required(MappingNode mapping, String key, String source) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return tuple.getValueNode();
            }
        }
        throw at(mapping, source, "'" + key + "' is missing");
    }

    private static MappingNode mapping(Node node, String source, String what) {
        if (node instanceof MappingNode mapping) {
            return mapping;
        }
        throw at(node, source, what + " must be a mapping of keys to values");
    }

    private static String scalar(Node node, String source, String what) {
        if (node instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        throw at(node, source, what + " must be a single value");
    }

    private static ScriptException at(Node node, String source, String problem) {
        return new ScriptException(source, node == null ? 0 : node.getStartMark().getLine() + 1, problem);
    }

    /** A script that cannot be used, with where and why. */
    public static final class ScriptException extends RuntimeException {
        public ScriptException(String source, int line, String problem) {
            super(source + (line > 0 ? ", line " + line : "") + ": " + problem);
        }
    }
}
