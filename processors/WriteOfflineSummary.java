package parley.processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.call.EndedCall;
import parley.records.OfflineSummary;

/** No model, or the model failed: the call's summary is written from its record alone. */
@Component
public class WriteOfflineSummary implements Processor {

    @Override
    public void process(Exchange exchange) {
        EndedCall call = exchange.getProperty(ShapeCallRecord.ENDED_CALL, EndedCall.class);
        exchange.getMessage().setHeader(ShapeCallRecord.SUMMARY_WRITER, OfflineSummary.WRITER);
        exchange.getMessage().setBody(OfflineSummary.write(call));
    }
}
