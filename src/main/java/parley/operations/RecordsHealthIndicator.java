package parley.operations;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;
import parley.records.RecordJournal;

/**
 * Call records that wait in the journal because the database did not take them. They are written when it is
 * back, so Parley stays up; the count tells an operator how far behind the records are.
 */
@Component
public class RecordsHealthIndicator implements HealthIndicator {

    private final RecordJournal journal;

    public RecordsHealthIndicator(RecordJournal journal) {
        this.journal = journal;
    }

    @Override
    public Health health() {
        return Health.up().withDetail("waitingInJournal", journal.waiting()).build();
    }
}
