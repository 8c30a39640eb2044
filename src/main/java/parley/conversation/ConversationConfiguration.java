package parley.conversation;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;
import parley.config.ParleyProperties;

@Configuration(proxyBeanMethods = false)
class ConversationConfiguration {

    /** Loaded and checked at start-up: a broken script stops Parley before it takes a call. */
    @Bean
    SalesScript salesScript(ParleyProperties properties, ResourceLoader resources) {
        return ScriptLoader.load(resources.getResource(properties.script()));
    }
}
