package parley.processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.springframework.stereotype.Component;

/**
 * The request is safely kept (stored, or its dead letter sent): its offset is committed. Before this, a crash
 * means the request is read again, and its idempotency key keeps it from being kept twice.
 */
@Component
public class CommitOffset implements Processor {

    @Override
    public void process(Exchange exchange) {
        KafkaManualCommit commit = exchange.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
        if (commit == null) {
            throw new IllegalStateException("no manual commit on this exchange: the consumer needs allowManualCommit");
        }
        commit.commit();
    }
}
