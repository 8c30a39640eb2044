package parley.voice;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import parley.audio.OfflineVoice;

@Configuration(proxyBeanMethods = false)
class VoiceConfiguration {

    /** The voice that needs no keys and no network. */
    @Bean(destroyMethod = "close")
    OfflineVoice offlineVoice() {
        return new OfflineVoice();
    }
}
