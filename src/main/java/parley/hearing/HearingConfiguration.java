package parley.hearing;

import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import parley.config.ParleyProperties;

@Configuration(proxyBeanMethods = false)
class HearingConfiguration {

    @Bean(destroyMethod = "close")
    SileroVad sileroVad() {
        return SileroVad.load();
    }

    @Bean(destroyMethod = "close")
    VadBatcher vadBatcher(SileroVad vad, ParleyProperties properties, MeterRegistry meters) {
        return new VadBatcher(vad, properties.hearing().vadBatchWindow().toMillis(),
                properties.hearing().maxWaitingWindows(), meters);
    }

    @Bean
    TurnDetector.Settings turnTaking(ParleyProperties properties) {
        ParleyProperties.Hearing hearing = properties.hearing();
        ParleyProperties.EndOfTurnWaits waits = hearing.endOfTurn();
        return new TurnDetector.Settings(hearing.threshold(), hearing.releaseThreshold(),
                hearing.minSpeech().toMillis(), hearing.minSilence().toMillis(), hearing.minInterrupt().toMillis(),
                hearing.falseInterruptionTimeout().toMillis(), hearing.uninterruptibleOpening().toMillis(),
                Set.copyOf(hearing.backchannels()),
                new EndOfTurn.Waits(waits.completeSentence().toMillis(), waits.unfinished().toMillis(),
                        waits.unclear().toMillis()), hearing.turnModel().enabled(),
                hearing.echo().maxDelay().toMillis(), hearing.echo().returnLoss(), hearing.quietVoiceBelow());
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "parley.hearing.turn-model.enabled", matchIfMissing = true)
    SmartTurnModel smartTurnModel() {
        return SmartTurnModel.load();
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "parley.hearing.turn-model.enabled", matchIfMissing = true)
    TurnModelJudge turnModelJudge(TurnModel model, ParleyProperties properties, MeterRegistry meters) {
        ParleyProperties.TurnModel settings = properties.hearing().turnModel();
        return new TurnModelJudge(model, settings.threshold(), settings.threads(), settings.maxWaiting(),
                settings.maxRunsPerSecond(), System::nanoTime, meters);
    }
}
