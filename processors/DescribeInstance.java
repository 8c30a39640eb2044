package parley.processors;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.springframework.boot.actuate.health.CompositeHealth;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.stereotype.Component;
import parley.config.ParleyProperties;

/**
 * {@code GET /api/instance}: this instance as an operator looks at it: calls live, each turn step's count and
 * 50th, 95th and 99th percentiles in ms (since start), call events by kind, and each part's health.
 */
@Component
public class DescribeInstance implements Processor {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MeterRegistry meters;
    private final HealthEndpoint health;
    private final String instance;

    public DescribeInstance(MeterRegistry meters, HealthEndpoint health, ParleyProperties properties) {
        this.meters = meters;
        this.health = health;
        this.instance = properties.outbound().instanceName();
    }

    @Override
    public void process(Exchange exchange) throws JsonProcessingException {
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("instance", instance);
        described.put("calls_live", (long) meters.get("parley.calls.live").gauge().value());
        Map<String, Object> steps = new LinkedHashMap<>();
        for (Timer step : meters.find("parley.turn.step").timers()) {
            HistogramSnapshot snapshot = step.takeSnapshot();
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("count", snapshot.count());
            for (ValueAtPercentile percentile : snapshot.percentileValues()) {
                figures.put("p" + Math.round(percentile.percentile() * 100),
                        Math.round(percentile.value(TimeUnit.MILLISECONDS)));
            }
            steps.put(step.getId().getTag("step"), figures);
        }
        described.put("turn_steps_ms", steps);
        Map<String, Long> events = new LinkedHashMap<>();
        for (Counter kind : meters.find("parley.call.events").counters()) {
            events.put(kind.getId().getTag("kind"), (long) kind.count());
        }
        described.put("call_events", events);
        Map<String, String> parts = new LinkedHashMap<>();
        HealthComponent now = health.health();
        if (now instanceof CompositeHealth composite) {
            composite.getComponents().forEach((name, part) -> parts.put(name, part.getStatus().getCode()));
        }
        described.put("health", parts);
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(JSON.writeValueAsString(described));
    }
}
