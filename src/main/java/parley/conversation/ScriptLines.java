package parley.conversation;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A script's line as said on one call: {@code {first_name}} becomes the dial request's variable of that name,
 * which the call carries as the stream parameter {@code var-first_name}. A variable the request did not give is
 * left out and the words around it closed up ("Hi {first_name}, ..." becomes "Hi, ...").
 */
public final class ScriptLines {

    /** The stream parameters that carry a dial request's variables start with this. */
    public static final String VARIABLE_PREFIX = "var-";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]+)}");

    private ScriptLines() {
    }

    /** Whether the line names variables: it differs from call to call, so it is not voiced ahead. */
    public static boolean personal(String line) {
        return PLACEHOLDER.matcher(line).find();
    }

    public static String forCall(String line, Map<String, String> callParameters) {
        Matcher placeholder = PLACEHOLDER.matcher(line);
        if (!placeholder.find()) {
            return line;
        }
        StringBuilder said = new StringBuilder();
        do {
            String value = callParameters.get(VARIABLE_PREFIX + placeholder.group(1));
            placeholder.appendReplacement(said, Matcher.quoteReplacement(value == null ? "" : value.strip()));
        } while (placeholder.find());
        placeholder.appendTail(said);
        return said.toString().replaceAll(" {2,}", " ").replaceAll(" ([,.!?])", "$1").strip();
    }
}
