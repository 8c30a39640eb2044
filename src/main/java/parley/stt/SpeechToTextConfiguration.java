package parley.stt;

import java.net.URI;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import parley.config.ParleyProperties;

@Configuration(proxyBeanMethods = false)
class SpeechToTextConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SpeechToTextConfiguration.class);

    static final String NO_RECOGNIZER = "No speech recognizer is configured: set parley.stt.deepgram.url and"
            + " api-key (DEEPGRAM_URL, DEEPGRAM_API_KEY) to hear callers through Deepgram, or"
            + " parley.stt.sandbox.enabled=true for simulated calls only (the sandbox recognizer cannot hear a real"
            + " caller). Parley will not take calls it cannot hear.";

    /**
     * Deepgram when {@code parley.stt.deepgram.url} is set; the sandbox recognizer, a local server that speaks
     * Deepgram's protocol, only when asked for ({@code parley.stt.sandbox.enabled}); with neither, Parley does
     * not start. Simulated calls name their lines as {@code sandbox-line-N} parameters, passed on as Deepgram
     * {@code extra} metadata; a real call has none.
     */
    @Bean(destroyMethod = "close")
    DeepgramLiveClient speechToText(ParleyProperties properties, SandboxHolder sandbox) {
        ParleyProperties.Deepgram deepgram = properties.stt().deepgram();
        DeepgramSettings settings;
        if (deepgram.sandboxed()) {
            if (!properties.stt().sandbox().enabled()) {
                throw new IllegalStateException(NO_RECOGNIZER);
            }
            settings = DeepgramSettings.defaults("sandbox").withUrl(sandbox.url());
            LOG.info("Speech-to-text: the sandbox recognizer at {} (it returns the simulator's lines; it measures"
                    + " the pipeline, not recognition)", sandbox.url());
        } else {
            if (deepgram.apiKey().isBlank()) {
                throw new IllegalStateException("parley.stt.deepgram.url is set but parley.stt.deepgram.api-key"
                        + " (DEEPGRAM_API_KEY) is empty");
            }
            settings = DeepgramSettings.defaults(deepgram.apiKey()).withUrl(URI.create(deepgram.url()));
            LOG.info("Speech-to-text: Deepgram {} at {}", deepgram.model(), deepgram.url());
        }
        return new DeepgramLiveClient(new DeepgramSettings(settings.url(), settings.apiKey(), deepgram.model(),
                (int) deepgram.endpointing().toMillis(), (int) deepgram.utteranceEnd().toMillis(),
                settings.keepAliveEvery(), settings.reconnectBackoff(), settings.maxReconnectBackoff(),
                settings.connectTimeout(), settings.closeTimeout(), settings.maxResend(),
                DeepgramSettings.SANDBOX_PREFIX));
    }

    /** The sandbox recognizer, started only when Deepgram is not configured. */
    @Bean(destroyMethod = "close")
    SandboxHolder sandboxRecognizer(ParleyProperties properties, Vertx vertx) {
        if (!properties.stt().deepgram().sandboxed() || !properties.stt().sandbox().enabled()) {
            return new SandboxHolder(null);
        }
        SandboxSettings settings = SandboxSettings.defaults().withLatency(properties.stt().sandbox().latency());
        return new SandboxHolder(new SandboxRecognizer(vertx, settings).start());
    }

    record SandboxHolder(SandboxRecognizer recognizer) implements AutoCloseable {
        URI url() {
            return recognizer.url();
        }

        @Override
        public void close() {
            if (recognizer != null) {
                recognizer.stop();
            }
        }
    }
}
