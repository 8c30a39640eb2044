package parley.conversation;

import java.time.Clock;
import java.time.ZoneId;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;
import parley.config.ParleyProperties;
import parley.knowledge.ReadAheadEmbeddings;

@Configuration(proxyBeanMethods = false)
class ConversationConfiguration {

    /** The one clock dates are read against; tests put a fixed one in its place. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** A zone that does not exist stops Parley at start-up rather than misreading every caller's dates. */
    @Bean
    CallerCalendars callerCalendars(Clock clock, ParleyProperties properties) {
        ParleyProperties.Conversation conversation = properties.conversation();
        ZoneId zone = conversation.timeZone().isBlank() ? ZoneId.systemDefault() : ZoneId.of(conversation.timeZone());
        return new CallerCalendars(clock, zone, conversation.firstDayOfWeek());
    }

    /** What callers say is embedded ahead, while their turn winds down (see AnticipateTurn). */
    @Bean(destroyMethod = "close")
    OfflinePolicy offlinePolicy(SalesScript script, ParleyProperties properties) {
        ParleyProperties.Understanding understanding = properties.conversation().understanding();
        return new OfflinePolicy(script,
                new ReadAheadEmbeddings(UnderstandingModel.named(understanding.model()).load()), understanding.tuning(),
                understanding.phraseVectorsFile(understanding.model()));
    }

    /** Loaded and checked at start-up: a broken script stops Parley before it takes a call. */
    @Bean
    SalesScript salesScript(ParleyProperties properties, ResourceLoader resources) {
        return ScriptLoader.load(resources.getResource(properties.script()));
    }
}
