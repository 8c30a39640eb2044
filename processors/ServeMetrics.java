package parley.processors;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/** {@code GET /actuator/prometheus}: every meter of this instance in Prometheus' text format. */
@Component
public class ServeMetrics implements Processor {

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry meters;

    public ServeMetrics(PrometheusMeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader(Exchange.CONTENT_TYPE, PROMETHEUS_TEXT);
        message.setBody(meters.scrape(PROMETHEUS_TEXT));
    }
}
