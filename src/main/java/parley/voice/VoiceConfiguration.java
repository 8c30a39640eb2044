package parley.voice;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import parley.audio.OfflineVoice;
import parley.config.ParleyProperties;
import parley.conversation.SalesScript;
import parley.conversation.ScriptLines;
import parley.processors.SpeakLine;
import parley.tts.AuraSettings;
import parley.tts.AuraTts;
import parley.tts.CartesiaSettings;
import parley.tts.CartesiaTts;
import parley.tts.OfflineTts;
import parley.tts.TextToSpeech;
import parley.tts.VoiceChain;

@Configuration(proxyBeanMethods = false)
class VoiceConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(VoiceConfiguration.class);
    private static final Duration PRERENDER_WITHIN = Duration.ofSeconds(10);

    /** The voice that needs no keys and no network. */
    @Bean(destroyMethod = "close")
    OfflineVoice offlineVoice(ParleyProperties properties) {
        return new OfflineVoice(properties.voice().offlineWordsPerMinute());
    }

    /** The configured voices in their order; one without a key is left out, the offline voice never is. */
    @Bean(destroyMethod = "close")
    VoiceChain voices(ParleyProperties properties, OfflineVoice offline) {
        ParleyProperties.Tts tts = properties.tts();
        List<TextToSpeech> voices = new ArrayList<>();
        for (String name : tts.voices()) {
            switch (name) {
                case "cartesia" -> {
                    ParleyProperties.Cartesia c = tts.cartesia();
                    if (!c.apiKey().isBlank()) {
                        if (c.voice().isBlank()) {
                            throw new IllegalStateException("parley.tts.cartesia.voice must name a Cartesia voice id");
                        }
                        voices.add(new CartesiaTts(new CartesiaSettings(c.url(), c.apiKey(), c.version(), c.model(),
                                c.voice(), c.language())));
                    }
                }
                case "aura" -> {
                    ParleyProperties.Aura a = tts.aura();
                    if (!a.apiKey().isBlank()) {
                        voices.add(new AuraTts(new AuraSettings(a.url(), a.apiKey(), a.model())));
                    }
                }
                case "offline" -> voices.add(new OfflineTts(offline));
                default -> throw new IllegalStateException("parley.tts.voices: unknown voice '" + name
                        + "' (known: cartesia, aura, offline)");
            }
        }
        VoiceChain chain = new VoiceChain(voices, tts.maxSilence().toMillis(),
                new VoiceChain.Breaker(tts.breakerFailures(), tts.breakerCooldown().toMillis()));
        LOG.info("Voices, in order: {}", chain.names());
        return chain;
    }

    /** The script's lines are known before any call: voice them once, before Parley takes calls. */
    @Bean
    ApplicationRunner prerenderScriptedLines(SalesScript script, SpeakLine speech) {
        return args -> {
            List<String> lines = new ArrayList<>();
            script.states().values().forEach(state -> lines.addAll(state.say()));
            lines.add(script.notUnderstood().close());
            if (script.silence() != null) {
                lines.add(script.silence().checkIn());
                lines.add(script.silence().close());
            }
            for (String line : lines) {
                if (line != null && !ScriptLines.personal(line)) {
                    speech.prerender(line, PRERENDER_WITHIN);
                }
            }
        };
    }
}
