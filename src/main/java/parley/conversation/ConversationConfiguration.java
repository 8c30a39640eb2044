package parley.conversation;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;
import parley.config.ParleyProperties;

@Configuration(proxyBeanMethods = false)
class ConversationConfiguration {

    /** The clock relative dates ("next Tuesday") are read against; the machine's zone. */
    @Bean
    java.time.Clock clock() {
        return java.time.Clock.systemDefaultZone();
    }

    @Bean
    OfflinePolicy offlinePolicy(SalesScript script, dev.langchain4j.model.embedding.EmbeddingModel embeddings,
                                ParleyProperties properties) {
        return new OfflinePolicy(script, embeddings, properties.conversation().offlineMatchThreshold());
    }

    /** Loaded and checked at start-up: a broken script stops Parley before it takes a call. */
    @Bean
    SalesScript salesScript(ParleyProperties properties, ResourceLoader resources) {
        return ScriptLoader.load(resources.getResource(properties.script()));
    }
}
