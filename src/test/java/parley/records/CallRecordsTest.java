package parley.records;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import parley.call.CallRegistry;
import parley.simulator.SimulatedCall;
import parley.support.RunningParley;
import parley.support.WatchedCall;

import static org.assertj.core.api.Assertions.assertThat;

/** A whole call's record, read back from the embedded PostgreSQL it was written to. */
class CallRecordsTest extends RunningParley {

    @Autowired
    CallRegistry calls;

    @Autowired
    JdbcTemplate database;

    @Test
    void aCallAndEachOfItsTurnsAreKeptOnce() throws Exception {
        String sid = "CArecord0000000000000000000000001";
        WatchedCall watched = WatchedCall.place(calls, SimulatedCall.to(mediaUrl().toString()).callSid(sid)
                .parameter("From", "+15550100123")
                .say("Sure, what's this about?")
                .say("Not interested, thanks.")
                .idleHangup(Duration.ofSeconds(3)).maxDuration(Duration.ofSeconds(40)).build());

        Map<String, Object> call = Awaitility.await().atMost(Duration.ofSeconds(20)).until(
                () -> database.queryForList("SELECT * FROM call_record WHERE call_sid = ?", sid), rows -> !rows.isEmpty())
                .get(0);
        assertThat(call.get("other_number")).isEqualTo("+15550100123");
        assertThat(call.get("outcome")).isEqualTo(watched.session().outcome().name().toLowerCase());
        assertThat(call.get("end_reason")).isEqualTo(watched.session().endReason());
        assertThat(((Number) call.get("length_ms")).longValue()).isPositive();

        List<Map<String, Object>> turns = Awaitility.await().atMost(Duration.ofSeconds(20)).until(
                () -> database.queryForList("SELECT * FROM turn_record WHERE call_sid = ? ORDER BY turn_number", sid),
                rows -> rows.size() == watched.session().turns().size());
        assertThat(turns).extracting(row -> row.get("said"))
                .containsExactly("Sure, what's this about?", "Not interested, thanks.");
        assertThat(turns).extracting(row -> row.get("answered_by")).containsOnly("scripted");
        for (int i = 0; i < turns.size(); i++) {
            parley.hearing.TurnTiming timing = watched.session().turns().get(i).timing();
            Map<String, Object> row = turns.get(i);
            // Each step's time as measured; one that did not happen (the model not asked) is NULL, not 0.
            assertThat(java.util.Arrays.asList(row.get("stop_detected_ms"), row.get("finalize_sent_ms"),
                    row.get("final_received_ms"), row.get("verdict_ms"), row.get("decided_ms"),
                    row.get("first_audio_ms"))).as("turn %d", i + 1).containsExactly(timing.stopDetectedMs(),
                    timing.finalizeSentMs(), timing.finalReceivedMs(), timing.verdictMs(), timing.decidedMs(),
                    timing.firstAudioMs());
        }
    }
}
