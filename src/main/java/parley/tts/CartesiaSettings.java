package parley.tts;

import java.net.URI;
import java.util.Objects;

/**
 * How to reach Cartesia's streaming TTS and which voice to speak with.
 *
 * @param url      the TTS WebSocket, normally {@value #DEFAULT_URL}
 * @param apiKey   sent as {@code X-API-Key}
 * @param version  the dated API version sent as {@code Cartesia-Version}, e.g. {@value #DEFAULT_VERSION}; the
 *                 message shapes Parley speaks are those of the dated versions since 2024-11-13
 * @param modelId  e.g. {@code sonic-2}
 * @param voiceId  a Cartesia voice id
 * @param language e.g. {@code en}
 */
public record CartesiaSettings(URI url, String apiKey, String version, String modelId, String voiceId,
        String language) {

    public static final String DEFAULT_URL = "wss://api.cartesia.ai/tts/websocket";
    public static final String DEFAULT_VERSION = "2025-04-16";

    public CartesiaSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(voiceId, "voiceId");
        Objects.requireNonNull(language, "language");
    }
}
