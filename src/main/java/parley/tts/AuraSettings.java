package parley.tts;

import java.net.URI;
import java.util.Objects;

/**
 * How to reach Deepgram Aura's streaming TTS and which voice to speak with.
 *
 * @param url    the speak WebSocket without query, normally {@value #DEFAULT_URL}; Parley adds the model and
 *               the telephone format (mu-law, 8 kHz) as query parameters
 * @param apiKey sent as {@code Authorization: Token <key>}
 * @param model  the voice model, e.g. {@value #DEFAULT_MODEL}
 */
public record AuraSettings(URI url, String apiKey, String model) {

    public static final String DEFAULT_URL = "wss://api.deepgram.com/v1/speak";
    public static final String DEFAULT_MODEL = "aura-2-thalia-en";

    public AuraSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(model, "model");
    }
}
