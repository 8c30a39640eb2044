package parley.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Which store {@code parley.knowledge.*} selects, and that nothing heavy is built until it is asked for. */
class KnowledgeConfigurationTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(KnowledgeSettings.class)
    static class Camel {
        @Bean(destroyMethod = "stop")
        CamelContext camelContext() {
            DefaultCamelContext camel = new DefaultCamelContext();
            camel.start();
            return camel;
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Camel.class, KnowledgeConfiguration.class);

    @Test
    void withoutAQdrantHostPassagesAreKeptInTheEmbeddedStore() {
        runner.run(context -> {
            assertThat(context.getBean(KnowledgeSettings.class)).isEqualTo(KnowledgeSettings.embedded());
            assertThat(context.getBean(PassageStore.class)).isInstanceOf(InMemoryPassageStore.class);
        });
    }

    @Test
    void aQdrantHostSelectsQdrantWithTheSettingsGiven() {
        runner.withPropertyValues("parley.knowledge.qdrant-host=qdrant.invalid",
                        "parley.knowledge.qdrant-port=6400", "parley.knowledge.api-key=secret",
                        "parley.knowledge.collection=acme", "parley.knowledge.use-tls=true")
                .run(context -> {
                    assertThat(context.getBean(KnowledgeSettings.class)).isEqualTo(
                            new KnowledgeSettings("qdrant.invalid", 6400, "secret", "acme", true));
                    assertThat(context.getBean(PassageStore.class)).isInstanceOf(QdrantPassageStore.class);
                });
    }

    @Test
    void theEmbeddingModelIsNotLoadedAtStartUp() {
        runner.run(context -> assertThat(context.getBeanFactory().containsSingleton("sentenceEmbeddings")).isFalse());
    }
}
