package parley.records;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.camel.ProducerTemplate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import parley.Parley;
import parley.simulator.CallSimulator;
import parley.simulator.SimulatedCall;
import parley.support.RunningParley;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Parley instances sharing one PostgreSQL, as instances behind one Twilio number do: each writes its own
 * calls while the other writes too, and a record both try to write at once (a journal replayed on both) is kept
 * once. Nothing is lost, nothing doubled.
 */
class TwoWritersTest extends RunningParley {

    @Autowired
    EmbeddedPostgres database;

    @Autowired
    JdbcTemplate sql;

    @Autowired
    ProducerTemplate routes;

    @Autowired
    RecordJournal journal;

    @Test
    void twoInstancesWritingAtOnceLoseAndDoubleNothing() throws Exception {
        int port = freePort();
        try (ConfigurableApplicationContext second = new SpringApplicationBuilder(Parley.class).run(
                "--spring.main.banner-mode=off", "--logging.level.root=WARN",
                "--server.address=127.0.0.1", "--server.port=" + port,
                "--parley.public-url=http://127.0.0.1:" + port, "--parley.stt.sandbox.enabled=true",
                "--spring.datasource.url=jdbc:postgresql://localhost:" + database.getPort() + "/postgres",
                "--spring.datasource.username=postgres",
                "--parley.records.journal-folder=" + freshFolder("parley-journal"))) {
            ProducerTemplate secondRoutes = second.getBean(ProducerTemplate.class);
            CallRecordRows shared = new CallRecordRows(
                    new CallRow("CAshared000000000000000000000001", "+15550100777", "the socket closed", 12_000,
                            "not_interested", null, "{}", null),
                    List.of(new TurnRow("CAshared000000000000000000000001", 1, "Not interested.", "scripted", "r",
                                    new String[0], false, 100L, 101L, 210L, null, 212L, 220L),
                            new TurnRow("CAshared000000000000000000000001", 2, "Bye.", "scripted", "r",
                                    new String[0], false, 96L, 97L, 205L, 150L, 206L, 207L)));

            ExecutorService work = Executors.newFixedThreadPool(8);
            List<Future<?>> running = new ArrayList<>();
            List<String> sids = new ArrayList<>();
            try (CallSimulator simulator = new CallSimulator()) {
                for (int i = 0; i < 6; i++) {
                    String sid = String.format("CAtwowriters%020d", i);
                    sids.add(sid);
                    String media = i % 2 == 0 ? mediaUrl().toString() : "ws://127.0.0.1:" + port + "/twilio/media";
                    SimulatedCall call = SimulatedCall.to(media).callSid(sid).say("Sure, what's this about?")
                            .idleHangup(Duration.ofSeconds(2)).maxDuration(Duration.ofSeconds(30)).build();
                    running.add(work.submit(() -> simulator.run(call)));
                }
                for (int i = 0; i < 10; i++) {
                    running.add(work.submit(() -> routes.sendBody("direct:write-record", shared)));
                    running.add(work.submit(() -> secondRoutes.sendBody("direct:write-record", shared)));
                }
                for (Future<?> each : running) {
                    each.get();
                }
            } finally {
                work.shutdown();
            }

            for (String sid : sids) {
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> sql.queryForObject(
                        "SELECT count(*) FROM call_record WHERE call_sid = ?", Integer.class, sid), n -> n == 1);
                assertThat(sql.queryForObject("SELECT count(*) FROM turn_record WHERE call_sid = ?", Integer.class,
                        sid)).as("%s's turn, once", sid).isEqualTo(1);
            }
            assertThat(sql.queryForObject("SELECT count(*) FROM call_record WHERE call_sid = ?", Integer.class,
                    "CAshared000000000000000000000001")).isEqualTo(1);
            assertThat(List.of(journal.waiting(), second.getBean(RecordJournal.class).waiting()))
                    .as("no write failed on either instance, the clashing ones included").containsExactly(0, 0);
            assertThat(sql.queryForList("SELECT turn_number, verdict_ms FROM turn_record WHERE call_sid = ?"
                    + " ORDER BY turn_number", "CAshared000000000000000000000001"))
                    .extracting(row -> row.get("verdict_ms")).containsExactly(null, 150L);
        }
    }
}
