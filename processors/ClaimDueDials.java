package parley.processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.outbound.DialQueue;

/** The body becomes the attempts this instance claimed to dial now (see {@link DialQueue#claimDue}). */
@Component
public class ClaimDueDials implements Processor {

    private final DialQueue queue;

    public ClaimDueDials(DialQueue queue) {
        this.queue = queue;
    }

    @Override
    public void process(Exchange exchange) {
        exchange.getMessage().setBody(queue.claimDue());
    }
}
