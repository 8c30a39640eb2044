package parley.processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.hearing.HearingEvent;

/**
 * Puts the kind of the hearing event in the body into the {@code hearingEvent} header, as a plain string for
 * the route to branch on: reading {@code ${body.kind}} in a route calls the method by reflection, through a
 * bean lookup, for every event.
 */
@Component
public class NameHearingEvent implements Processor {

    public static final String HEADER = "hearingEvent";

    @Override
    public void process(Exchange exchange) {
        exchange.getMessage().setHeader(HEADER, exchange.getMessage().getBody(HearingEvent.class).kind());
    }
}
