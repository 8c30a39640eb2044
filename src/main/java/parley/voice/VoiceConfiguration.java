package parley.voice;

import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import parley.audio.OfflineVoice;
import parley.config.ParleyProperties;
import parley.conversation.SalesScript;
import parley.processors.SynthesizeSpeech;

@Configuration(proxyBeanMethods = false)
class VoiceConfiguration {

    /** The voice that needs no keys and no network. */
    @Bean(destroyMethod = "close")
    OfflineVoice offlineVoice(ParleyProperties properties) {
        return new OfflineVoice(properties.voice().offlineWordsPerMinute());
    }

    /** The script's lines are known before any call: render them once, before Parley takes calls. */
    @Bean
    ApplicationRunner prerenderScriptedLines(SalesScript script, SynthesizeSpeech speech) {
        return args -> script.states().values().forEach(state -> state.say().forEach(speech::render));
    }
}
