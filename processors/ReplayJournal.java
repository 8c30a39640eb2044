package parley.processors;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.records.CallRecordRows;
import parley.records.RecordJournal;

/**
 * Takes the records waiting in the journal; the body becomes their list (empty most of the time), each written
 * again by the route.
 */
@Component
public class ReplayJournal implements Processor {

    private final RecordJournal journal;

    public ReplayJournal(RecordJournal journal) {
        this.journal = journal;
    }

    @Override
    public void process(Exchange exchange) {
        List<CallRecordRows> waiting = journal.takeAll();
        exchange.getMessage().setBody(waiting);
    }
}
