package parley.llm;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
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
        return ModelChats.at(llm.baseUrl(), llm.clientApiKey(), llm.fastModel(), llm.strongModel(),
                llm.firstTokenTimeout(), llm.answerTimeout());
    }

    @Bean
    TurnRouter turnRouter(ModelChats chats, ParleyProperties properties) {
        return new TurnRouter(chats.configured(), properties.conversation().scriptedAbove());
    }

    /**
     * The model that writes call summaries, reached by the records route through camel-langchain4j-chat. One
     * attempt, bounded by the summary timeout: the offline summary is always there to fall back on, and a
     * retry would only multiply the wait. With no model configured there is no bean, and the route writes
     * every summary offline.
     */
    @Bean
    @Conditional(ModelConfigured.class)
    ChatModel summaryChatModel(ParleyProperties properties) {
        ParleyProperties.Llm llm = properties.llm();
        LOG.info("Call summaries: {} at {}", llm.summaryModel(), llm.baseUrl());
        return OpenAiChatModel.builder()
                .baseUrl(llm.baseUrl()).apiKey(llm.clientApiKey()).modelName(llm.summaryModel())
                .timeout(llm.summaryTimeout()).maxRetries(0)
                .build();
    }

    /** parley.llm as the application binds it, read before the properties bean exists. */
    static final class ModelConfigured implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return Binder.get(context.getEnvironment()).bind("parley.llm", ParleyProperties.Llm.class)
                    .map(ParleyProperties.Llm::configured).orElse(false);
        }
    }
}
