package parley.tts;

import com.fasterxml.jackson.databind.JsonNode;

/** Reading providers' free-form messages for logs and error reports. */
final class ProviderText {

    private static final int EXCERPT_CHARS = 200;

    private ProviderText() {
    }

    /** The first of the fields that holds non-empty text; providers name their descriptions differently. */
    static String firstText(JsonNode message, String fallback, String... fields) {
        for (String field : fields) {
            String value = message.path(field).asText("");
            if (!value.isEmpty()) {
                return value;
            }
        }
        return fallback;
    }

    /** Keeps logs readable when a provider sends something large and unexpected. */
    static String excerpt(String text) {
        return text.length() <= EXCERPT_CHARS ? text : text.substring(0, EXCERPT_CHARS) + "...";
    }

    static String describe(Throwable error) {
        return error.getMessage() == null ? error.toString() : error.getMessage();
    }
}
