package parley.processors;

import java.time.Clock;
import java.time.Duration;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.config.ParleyProperties;
import parley.outbound.AttemptOutcomes;

/**
 * An answered call's outcome waits for its record, which says what the conversation reached; one whose record
 * has not come {@code record-wait} after the call ended is published without it, so that no attempt's outcome
 * is lost to a call that never reached the media stream.
 */
@Component
public class PublishOverdueOutcomes implements Processor {

    private final AttemptOutcomes outcomes;
    private final Clock clock;
    private final Duration recordWait;

    public PublishOverdueOutcomes(AttemptOutcomes outcomes, Clock clock, ParleyProperties properties) {
        this.outcomes = outcomes;
        this.clock = clock;
        this.recordWait = properties.outbound().recordWait();
    }

    @Override
    public void process(Exchange exchange) {
        outcomes.publishOverdue(clock.instant().minus(recordWait));
    }
}
