package parley.outbound;

import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A request to call one lead, as a sales team's system puts it on Kafka. {@code idempotencyKey} names the
 * request: the same key twice is one call. The calling window is in the lead's own time zone.
 *
 * @param variables what the script may say of the lead ("Hi {first_name}")
 */
public record DialRequest(String idempotencyKey, String account, String campaign, String leadId, String phone,
                          String script, String timeZone, LocalTime windowFrom, LocalTime windowUntil,
                          Map<String, String> variables, long receivedAtMs) {

    /** E.164: a plus, a country code that does not start with 0, at most 15 digits in all. */
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");
    private static final int MAX_TEXT = 200;
    private static final int MAX_VARIABLES = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A request that cannot be dialed as it stands, and why. */
    public static final class Invalid extends Exception {
        public Invalid(String reason) {
            super(reason);
        }
    }

    /** Calling hours on the lead's clock. */
    public record Window(LocalTime from, LocalTime until) {
    }

    /**
     * Reads a request; one without its own calling window gets its campaign's ({@code windowOf}). Unknown fields
     * are ignored, so senders can add their own.
     */
    public static DialRequest read(String text, Function<String, Window> windowOf, long receivedAtMs)
            throws Invalid {
        JsonNode json;
        try {
            json = text == null ? null : JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new Invalid("not JSON: " + e.getOriginalMessage());
        }
        if (json == null || !json.isObject()) {
            throw new Invalid("not a JSON object");
        }
        String phone = required(json, "phone");
        if (!E164.matcher(phone).matches()) {
            throw new Invalid("phone is not an E.164 number (+ and up to 15 digits): " + phone);
        }
        String timeZone = required(json, "time_zone");
        try {
            ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new Invalid("time_zone is not a time zone: " + timeZone);
        }
        String campaign = required(json, "campaign");
        Window defaults = windowOf.apply(campaign);
        LocalTime from = defaults.from();
        LocalTime until = defaults.until();
        JsonNode window = json.get("calling_window");
        if (window != null && !window.isNull()) {
            from = time(window, "from");
            until = time(window, "until");
            if (!from.isBefore(until)) {
                throw new Invalid("calling_window.from must be before calling_window.until");
            }
        }
        return new DialRequest(required(json, "idempotency_key"), required(json, "account"),
                campaign, required(json, "lead_id"), phone, optional(json, "script"), timeZone,
                from, until, variables(json.get("variables")), receivedAtMs);
    }

    private static String required(JsonNode json, String field) throws Invalid {
        String value = optional(json, field);
        if (value == null) {
            throw new Invalid(field + " is missing");
        }
        return value;
    }

    private static String optional(JsonNode json, String field) throws Invalid {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new Invalid(field + " must be a non-empty string");
        }
        if (value.asText().length() > MAX_TEXT) {
            throw new Invalid(field + " is longer than " + MAX_TEXT + " characters");
        }
        return value.asText().strip();
    }

    private static LocalTime time(JsonNode window, String field) throws Invalid {
        String value = window.path(field).asText("");
        try {
            return LocalTime.parse(value);
        } catch (DateTimeParseException e) {
            throw new Invalid("calling_window." + field + " must be a time such as 09:00, not '" + value + "'");
        }
    }

    private static Map<String, String> variables(JsonNode json) throws Invalid {
        Map<String, String> variables = new LinkedHashMap<>();
        if (json == null || json.isNull()) {
            return variables;
        }
        if (!json.isObject() || json.size() > MAX_VARIABLES) {
            throw new Invalid("variables must be an object of at most " + MAX_VARIABLES + " strings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = json.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getValue().isValueNode() || field.getValue().isNull()) {
                throw new Invalid("variables." + field.getKey() + " must be a string or a number");
            }
            variables.put(field.getKey(), field.getValue().asText());
        }
        return variables;
    }

    /** The variables as JSON, for their {@code jsonb} column. */
    public String variablesJson() throws JsonProcessingException {
        return JSON.writeValueAsString(variables);
    }
}
