package parley.operations;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Parley's meters live in a Prometheus registry, always: {@code /actuator/prometheus} serves it, and the same
 * meters are what the instance's own view reads. Declared here rather than left to Spring Boot's export
 * settings, which tests switch off, so that what is measured is the same everywhere.
 */
@Configuration(proxyBeanMethods = false)
public class OperationsConfiguration {

    @Bean
    PrometheusMeterRegistry prometheusMeterRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }
}
