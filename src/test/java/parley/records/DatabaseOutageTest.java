package parley.records;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import parley.call.CallRegistry;
import parley.simulator.SimulatedCall;
import parley.simulator.SimulationEvent;
import parley.support.RunningParley;
import parley.support.WatchedCall;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real PostgreSQL stops in the middle of a call and comes back after it: the call goes on undisturbed, its
 * record waits in the journal, and once the database is back the call and every turn are recorded once.
 */
@TestPropertySource(properties = "parley.records.replay-every=500ms")
class DatabaseOutageTest extends RunningParley {

    @Autowired
    CallRegistry calls;

    @Autowired
    EmbeddedPostgres database;

    @Autowired
    JdbcTemplate sql;

    @Autowired
    RecordJournal journal;

    @Value("${parley.records.database-folder}")
    String folder;

    @Test
    void aCallEndingWhileTheDatabaseIsDownIsRecordedOnceWhenItIsBack() throws Exception {
        int port = database.getPort();
        String sid = "CAoutage0000000000000000000000001";
        SimulatedCall call = SimulatedCall.to(mediaUrl().toString()).callSid(sid)
                .say("Sure, what's this about?")
                .say("Not interested, thanks.")
                .idleHangup(Duration.ofSeconds(3)).maxDuration(Duration.ofSeconds(40)).build();

        Thread stopper = new Thread(() -> {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> calls.byCallSid(sid) != null);
            try {
                database.close();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        stopper.start();
        WatchedCall watched = WatchedCall.place(calls, call);
        stopper.join();

        assertThat(watched.result().violations()).isEmpty();
        assertThat(watched.session().turns()).as("both turns answered while the database was down").hasSize(2);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> journal.waiting() >= 1);

        try (EmbeddedPostgres back = EmbeddedPostgres.builder().setDataDirectory(Path.of(folder))
                .setCleanDataDirectory(false).setPort(port).start()) {
            Map<String, Object> counts = Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sql.queryForMap(
                    "SELECT (SELECT count(*) FROM call_record WHERE call_sid = ?) AS calls,"
                            + " (SELECT count(*) FROM turn_record WHERE call_sid = ?) AS turns", sid, sid),
                    row -> ((Number) row.get("turns")).intValue() == 2);
            assertThat(((Number) counts.get("calls")).intValue()).isEqualTo(1);
            assertThat(journal.waiting()).isZero();
            assertThat(watched.result().events(SimulationEvent.Clear.class)).isEmpty();
        }
    }
}
