package parley.processors;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.conversation.SalesScript;

/**
 * Reads the filters of a calls query ({@code from}, {@code to}, {@code direction}, {@code outcome},
 * {@code campaign}, {@code text}, {@code limit}) into the headers the query binds, each checked first: a
 * filter that cannot be read gets a 400 that says why, never a database error or a silently wider answer.
 */
@Component
public class ReadCallFilters implements Processor {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        try {
            message.setHeader("from", instant(message, "from"));
            message.setHeader("to", instant(message, "to"));
            message.setHeader("direction", text(message, "direction"));
            message.setHeader("outcome", outcome(message));
            message.setHeader("campaign", text(message, "campaign"));
            String words = text(message, "text");
            message.setHeader("textPattern", words == null ? null : "%" + words.replaceAll("([\\\\%_])", "\\\\$1") + "%");
            message.setHeader("limit", limit(message));
        } catch (IllegalArgumentException e) {
            WriteJson.error(message, 400, e.getMessage());
            exchange.setRouteStop(true);
        }
    }

    private static String text(Message message, String name) {
        String value = message.getHeader(name, String.class);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String instant(Message message, String name) {
        String value = text(message, name);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value).toString();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 instant such as 2026-11-29T09:00:00Z, not " + value);
        }
    }

    private static String outcome(Message message) {
        String value = text(message, "outcome");
        if (value == null) {
            return null;
        }
        String[] known = Arrays.stream(SalesScript.Outcome.values()).map(o -> o.name().toLowerCase(Locale.ROOT))
                .toArray(String[]::new);
        if (!Arrays.asList(known).contains(value)) {
            throw new IllegalArgumentException("outcome must be one of " + String.join(", ", known) + ", not " + value);
        }
        return value;
    }

    private static int limit(Message message) {
        String value = text(message, "limit");
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below, as for a number out of range
        }
        throw new IllegalArgumentException("limit must be a whole number from 1 to " + MAX_LIMIT + ", not " + value);
    }
}
