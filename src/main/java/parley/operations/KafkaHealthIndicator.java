package parley.operations;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import parley.config.ParleyProperties;

/**
 * The Kafka brokers outbound calling reads dial requests from: down when they cannot be reached within a few
 * seconds. Only with outbound calling on; without it Parley reaches no broker.
 */
@Component
@ConditionalOnProperty(name = "parley.outbound.enabled", havingValue = "true")
public class KafkaHealthIndicator implements HealthIndicator, DisposableBean {

    private static final Duration WITHIN = Duration.ofSeconds(3);

    private final String brokers;
    private final Admin admin;

    public KafkaHealthIndicator(ParleyProperties properties) {
        this.brokers = properties.outbound().kafkaBrokers();
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) WITHIN.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) WITHIN.toMillis()));
    }

    @Override
    public Health health() {
        try {
            int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) WITHIN.toMillis()))
                    .nodes().get(WITHIN.toMillis(), TimeUnit.MILLISECONDS).size();
            return Health.up().withDetail("brokers", brokers).withDetail("nodes", nodes).build();
        } catch (ExecutionException | TimeoutException e) {
            return Health.down().withDetail("brokers", brokers)
                    .withDetail("failure", "not reached within " + WITHIN.toSeconds() + " s: " + e.getMessage()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.unknown().build();
        }
    }

    @Override
    public void destroy() {
        admin.close(Duration.ofSeconds(1));
    }
}
