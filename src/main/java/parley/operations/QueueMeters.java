package parley.operations;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.seda.SedaEndpoint;
import org.springframework.stereotype.Component;
import parley.records.RecordJournal;

/**
 * What waits: the depth of each of the routes' queues ({@code parley.queue.depth{queue}}: call records to
 * write, outcomes to publish), and the call records waiting in the journal for the database
 * ({@code parley.records.waiting}). Read when scraped, never counted on the way.
 */
@Component
public class QueueMeters {

    private final MeterRegistry meters;

    public QueueMeters(MeterRegistry meters, CamelContext camel, RecordJournal journal) throws Exception {
        this.meters = meters;
        Gauge.builder("parley.records.waiting", journal, RecordJournal::waiting)
                .description("Call records waiting in the journal for the database").register(meters);
        // The routes' queues exist once Camel has started (at once, if it has).
        camel.addStartupListener((context, alreadyStarted) -> meterQueues(context));
    }

    private void meterQueues(CamelContext camel) {
        for (Route route : camel.getRoutes()) {
            if (route.getEndpoint() instanceof SedaEndpoint queue) {
                Gauge.builder("parley.queue.depth", queue, SedaEndpoint::getCurrentQueueSize)
                        .tag("queue", queue.getEndpointBaseUri().replaceFirst("^seda:/*", ""))
                        .description("Exchanges waiting in a route's queue").register(meters);
            }
        }
    }
}
