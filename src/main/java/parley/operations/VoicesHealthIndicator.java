package parley.operations;

import java.util.List;
import java.util.Map;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;
import parley.tts.VoiceChain;

/**
 * The voices, in the order a line tries them, and how each stands. Up while any voice can speak: the chain's
 * last voice always takes a turn, so the agent is heard even when the ones before it are skipped after
 * failing; the details show which are.
 */
@Component
public class VoicesHealthIndicator implements HealthIndicator {

    private final VoiceChain voices;

    public VoicesHealthIndicator(VoiceChain voices) {
        this.voices = voices;
    }

    @Override
    public Health health() {
        Map<String, String> states = voices.states();
        List<String> names = List.copyOf(states.keySet());
        String speaking = names.stream().filter(voice -> !states.get(voice).startsWith("skipped")).findFirst()
                .orElse(names.get(names.size() - 1));
        return Health.up().withDetail("voices", states).withDetail("speaking", speaking).build();
    }
}
