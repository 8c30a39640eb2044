package parley.stt;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link DeepgramLiveClient} talks to Deepgram's live endpoint.
 *
 * @param url the live endpoint; point it at a {@link SandboxRecognizer} to run without Deepgram
 * @param apiKey sent as {@code Authorization: Token <key>}
 * @param model Deepgram model, e.g. {@code nova-3}
 * @param endpointingMs silence (ms) after which Deepgram marks a result {@code speech_final}; 0 or less
 *     disables endpointing ({@code endpointing=false})
 * @param utteranceEndMs gap (ms) after the last word before Deepgram sends {@code UtteranceEnd}; Deepgram
 *     accepts no less than 1000
 * @param keepAliveEvery a {@code KeepAlive} goes out when nothing was sent for this long; Deepgram closes a
 *     stream after about 10 s without audio or a message, and asks for one every 3-5 s
 * @param reconnectBackoff wait before the first reconnection attempt; it doubles with each failure
 * @param maxReconnectBackoff the longest wait between attempts
 * @param connectTimeout how long the TCP, TLS and WebSocket handshakes may take together, and the longest one
 *     send may take before the connection counts as stuck
 * @param closeTimeout after {@code CloseStream}, how long to wait for the last results and Deepgram's close;
 *     also how long Deepgram has to answer {@code Finalize} before the connection counts as hung
 * @param maxResend the most audio kept for resending after a reconnection (audio since the last final
 *     result); older audio is dropped and reported
 * @param forwardedParameterPrefix call parameters whose name starts with this are passed to the recognizer
 *     as Deepgram {@code extra} metadata ({@code extra=name:value}); this is how the sandbox recognizer
 *     learns what a simulated caller says. Empty forwards nothing.
 */
public record DeepgramSettings(URI url, String apiKey, String model, int endpointingMs, int utteranceEndMs,
        Duration keepAliveEvery, Duration reconnectBackoff, Duration maxReconnectBackoff, Duration connectTimeout,
        Duration closeTimeout, Duration maxResend, String forwardedParameterPrefix) {

    public static final URI DEEPGRAM_LIVE = URI.create("wss://api.deepgram.com/v1/listen");
    public static final String SANDBOX_LINE_PREFIX = "sandbox-line-";
    /** Call parameters for the sandbox recognizer: the caller's lines, and how loud speech is on the line. */
    public static final String SANDBOX_PREFIX = "sandbox-";

    public DeepgramSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(forwardedParameterPrefix, "forwardedParameterPrefix");
        if (model.isBlank()) {
            throw new IllegalArgumentException("model must not be blank");
        }
        if (utteranceEndMs < 1000) {
            throw new IllegalArgumentException("Deepgram requires utterance_end_ms >= 1000, got " + utteranceEndMs);
        }
        requirePositive(keepAliveEvery, "keepAliveEvery");
        requirePositive(reconnectBackoff, "reconnectBackoff");
        requirePositive(maxReconnectBackoff, "maxReconnectBackoff");
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(closeTimeout, "closeTimeout");
        requirePositive(maxResend, "maxResend");
    }

    /** Deepgram's endpoint, nova-3, conversational endpointing (300 ms), 1 s utterance end, KeepAlive every 4 s. */
    public static DeepgramSettings defaults(String apiKey) {
        return new DeepgramSettings(DEEPGRAM_LIVE, apiKey, "nova-3", 300, 1000, Duration.ofSeconds(4),
                Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(30), SANDBOX_PREFIX);
    }

    public DeepgramSettings withUrl(URI newUrl) {
        return new DeepgramSettings(newUrl, apiKey, model, endpointingMs, utteranceEndMs, keepAliveEvery,
                reconnectBackoff, maxReconnectBackoff, connectTimeout, closeTimeout, maxResend,
                forwardedParameterPrefix);
    }

    public DeepgramSettings withKeepAliveEvery(Duration every) {
        return new DeepgramSettings(url, apiKey, model, endpointingMs, utteranceEndMs, every, reconnectBackoff,
                maxReconnectBackoff, connectTimeout, closeTimeout, maxResend, forwardedParameterPrefix);
    }

    public DeepgramSettings withReconnectBackoff(Duration first, Duration max) {
        return new DeepgramSettings(url, apiKey, model, endpointingMs, utteranceEndMs, keepAliveEvery, first, max,
                connectTimeout, closeTimeout, maxResend, forwardedParameterPrefix);
    }

    /** The API key never appears in logs or reports. */
    @Override
    public String toString() {
        return "DeepgramSettings[url=" + url + ", model=" + model + ", endpointingMs=" + endpointingMs
                + ", utteranceEndMs=" + utteranceEndMs + ", keepAliveEvery=" + keepAliveEvery
                + ", reconnectBackoff=" + reconnectBackoff + ", maxReconnectBackoff=" + maxReconnectBackoff
                + ", connectTimeout=" + connectTimeout + ", closeTimeout=" + closeTimeout + ", maxResend="
                + maxResend + ", forwardedParameterPrefix=" + forwardedParameterPrefix + "]";
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }
}
