package parley.processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import parley.records.CallRecordRows;
import parley.records.RecordJournal;

/** The database did not take a call's record: it waits in the journal until it does. */
@Component
public class JournalRecord implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(JournalRecord.class);

    private final RecordJournal journal;

    public JournalRecord(RecordJournal journal) {
        this.journal = journal;
    }

    @Override
    public void process(Exchange exchange) {
        CallRecordRows rows = exchange.getMessage().getBody(CallRecordRows.class);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.warn("Call {}: its record could not be written ({}); kept in the journal until the database is back",
                rows.call().callSid(), cause == null ? "unknown" : cause.getMessage());
        journal.keep(rows);
    }
}
