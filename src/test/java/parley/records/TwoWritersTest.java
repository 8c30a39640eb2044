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
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
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
        try (ConfigurableApplicationContext second = secondInstance(database)) {
            String port = second.getEnvironment().getProperty("server.port");
            ProducerTemplate secondRoutes = second.getBean(ProducerTemplate.class);
            String sharedSid = "CAshared000000000000000000000001";
            long start = 1_795_000_000_000L;
            long end1 = start + 3_000;
            long end2 = start + 8_000;
            CallRecordRows shared = new CallRecordRows(
                    new CallRow(sharedSid, "inbound", "+15550100777", "+15550100000", "+15550100777", null, null,
                            "script", "0123456789ab", start, start + 40, start + 12_000, "the socket closed", 12_000,
                            "not_interested", null, "{}", null, "A short call.", "offline", "{}", null),
                    List.of(new TurnRow(sharedSid, 1, "Not interested.", "scripted", null, "r", new String[0], false,
                                    end1, end1 + 100, end1 + 101, end1 + 210, null, end1 + 212, null, end1 + 215,
                                    end1 + 220),
                            new TurnRow(sharedSid, 2, "Bye.", "scripted", null, "r", new String[0], false,
                                    end2, end2 + 96, end2 + 97, end2 + 205, end2 + 150, end2 + 206, null, null,
                                    end2 + 207)),
                    List.of(new LineRow(sharedSid, 1, "agent", "Hi there, it's Sam.", "Hi there", true, 0, 2_400),
                            new LineRow(sharedSid, 2, "caller", "Not interested.", "Not interested.", false, 2_200,
                                    3_000)),
                    List.of(new EventRow(sharedSid, 1, "barge-in", 2_400, "heard \"Hi there\"")));

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
            for (String table : List.of("call_record", "turn_record", "turn_timing", "call_line", "call_event")) {
                assertThat(sql.queryForObject("SELECT count(*) FROM " + table + " WHERE call_sid = ?", Integer.class,
                        sharedSid)).as(table).isEqualTo(table.equals("call_record") || table.equals("call_event")
                        ? 1 : 2);
            }
            assertThat(List.of(journal.waiting(), second.getBean(RecordJournal.class).waiting()))
                    .as("no write failed on either instance, the clashing ones included").containsExactly(0, 0);
            assertThat(sql.queryForList("SELECT turn_number, verdict_ms FROM turn_latency WHERE call_sid = ?"
                    + " ORDER BY turn_number", sharedSid))
                    .extracting(row -> row.get("verdict_ms")).containsExactly(null, 150L);
        }
    }
}
