package parley.processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import parley.call.EndedCall;
import parley.records.CallSummaries;
import parley.records.CallSummary;

/** A call's summary is written: it is kept with the call's sid and logged. */
@Component
public class KeepSummary implements Processor {

    /** The exchange property that carries the ended call through the summary route. */
    public static final String ENDED_CALL = "endedCall";
    /** The header that names who wrote the summary in the body: a model, or offline. */
    public static final String WRITER = "summaryWriter";

    private static final Logger LOG = LoggerFactory.getLogger(KeepSummary.class);

    private final CallSummaries summaries;

    public KeepSummary(CallSummaries summaries) {
        this.summaries = summaries;
    }

    @Override
    public void process(Exchange exchange) {
        EndedCall call = exchange.getProperty(ENDED_CALL, EndedCall.class);
        CallSummary summary = new CallSummary(call.callSid(), exchange.getMessage().getHeader(WRITER, String.class),
                exchange.getMessage().getBody(String.class).strip());
        summaries.keep(summary);
        LOG.info("Call {} summary ({}): {}", summary.callSid(), summary.writer(), summary.text());
    }
}
