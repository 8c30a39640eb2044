package parley.llm;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import parley.config.ParleyProperties;
import parley.conversation.TurnRouter;

@Configuration(proxyBeanMethods = false)
class LlmConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(LlmConfiguration.class);

    @Bean(destroyMethod = "close")
    ModelChats modelChats(ParleyProperties properties) {
        ParleyProperties.Llm llm = properties.llm();
        if (!llm.configured()) {
            LOG.info("Conversation: the offline policy (no parley.llm.base-url)");
            return ModelChats.none();
        }
        LOG.info("Conversation: {} (fast) and {} (strong) at {}", llm.fastModel(), llm.strongModel(), llm.baseUrl());
        return ModelChats.at(llm.baseUrl(), llm.apiKey(), llm.fastModel(), llm.strongModel(),
                llm.firstTokenTimeout(), llm.answerTimeout());
    }

    @Bean
    TurnRouter turnRouter(ModelChats chats, ParleyProperties properties) {
        return new TurnRouter(chats.configured(), properties.conversation().scriptedAbove());
    }
}
