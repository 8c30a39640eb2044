package parley.records;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import parley.call.CallRegistry;
import parley.conversation.SalesScript;
import parley.hearing.TurnTiming;
import parley.simulator.SampleCalls;
import parley.simulator.SimulationEvent;
import parley.simulator.SimulationResult;
import parley.support.RunningParley;
import parley.support.WatchedCall;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole call's record, read back from the embedded PostgreSQL it was written to: the demo's call, from the
 * greeting to a booked meeting with a barge-in and a backchannel on the way.
 */
class CallRecordsTest extends RunningParley {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How far apart the caller's own onset and the one voice-activity detection dates can be: a VAD window. */
    private static final long ONSET_WINDOW_MS = 100;

    @Autowired
    CallRegistry calls;

    @Autowired
    SalesScript script;

    @Autowired
    RecordingFolder recordings;

    @Autowired
    JdbcTemplate database;

    @Test
    void aWholeCallIsKeptWithItsTurnsTimingsLinesEventsAndRecording() throws Exception {
        String sid = "CArecord0000000000000000000000001";
        WatchedCall watched = WatchedCall.place(calls, SampleCalls.booked(mediaUrl().toString()).callSid(sid).build());
        SimulationResult result = watched.result();

        Map<String, Object> call = Awaitility.await().atMost(Duration.ofSeconds(20)).until(
                () -> database.queryForList("SELECT * FROM call_record WHERE call_sid = ?", sid), rows -> !rows.isEmpty())
                .get(0);
        assertThat(call).containsEntry("direction", "inbound").containsEntry("from_number", "+15550100001")
                .containsEntry("to_number", "+15550100002").containsEntry("other_number", "+15550100001")
                .containsEntry("script_name", script.name()).containsEntry("outcome", "booked")
                .containsEntry("end_reason", watched.session().endReason()).containsEntry("summary_by", "offline");
        assertThat((String) call.get("script_version")).matches("[0-9a-f]{12}").isEqualTo(script.version());
        Instant started = ((Timestamp) call.get("started_at")).toInstant();
        Instant answered = ((Timestamp) call.get("answered_at")).toInstant();
        Instant ended = ((Timestamp) call.get("ended_at")).toInstant();
        assertThat(started).isEqualTo(NOW);
        assertThat(answered).isBetween(started, ended);
        assertThat(Duration.between(started, ended).toMillis()).isEqualTo(((Number) call.get("length_ms")).longValue());
        assertThat((String) call.get("summary")).contains("Outcome: booked.").contains("jane.doe@example.com");
        JsonNode servedBy = JSON.readTree(call.get("served_by").toString());
        assertThat(servedBy.path("recognizer").get(0).asText()).startsWith("deepgram ");
        assertThat(servedBy.path("voice").get(0).asText()).isEqualTo("offline");
        assertThat(JSON.readTree(call.get("meeting").toString()).path("email").asText()).isEqualTo("jane.doe@example.com");

        List<Map<String, Object>> turns = database.queryForList(
                "SELECT * FROM turn_record t JOIN turn_timing m USING (call_sid, turn_number) WHERE call_sid = ?"
                        + " ORDER BY turn_number", sid);
        assertThat(turns).extracting(row -> row.get("said")).containsExactly("Sorry, what is this call about?",
                "We do maybe forty deliveries a week, planned in a spreadsheet.", "Yeah, that could be useful.",
                "It's jane dot doe at example dot com.", "Next Tuesday at 10 am works for me.");
        assertThat(turns).extracting(row -> row.get("answered_by")).containsOnly("scripted");
        assertThat(turns).extracting(row -> row.get("model")).containsOnly((Object) null);
        for (int i = 0; i < turns.size(); i++) {
            TurnTiming timing = watched.session().turns().get(i).timing();
            Map<String, Object> row = turns.get(i);
            long speechEnded = ((Timestamp) row.get("speech_ended_at")).toInstant().toEpochMilli();
            // Each step at the moment measured; one that did not happen is NULL: scripted lines are voiced
            // before any call, so no model token and no voice byte comes for them.
            assertThat(Arrays.asList(at(row, "stop_detected_at", speechEnded), at(row, "finalize_sent_at", speechEnded),
                    at(row, "final_received_at", speechEnded), at(row, "verdict_at", speechEnded),
                    at(row, "decided_at", speechEnded), at(row, "first_token_at", speechEnded),
                    at(row, "first_voice_byte_at", speechEnded), at(row, "first_audio_at", speechEnded)))
                    .as("turn %d", i + 1).containsExactly(timing.stopDetectedMs(), timing.finalizeSentMs(),
                            timing.finalReceivedMs(), timing.verdictMs(), timing.decidedMs(), null, null,
                            timing.firstAudioMs());
        }
        assertThat(database.queryForList("SELECT first_audio_ms FROM turn_latency WHERE call_sid = ?"
                + " ORDER BY turn_number", Long.class, sid)).containsExactlyElementsOf(
                watched.session().turns().stream().map(turn -> turn.timing().firstAudioMs()).toList());

        List<Map<String, Object>> lines = database.queryForList(
                "SELECT * FROM call_line WHERE call_sid = ? ORDER BY line_number", sid);
        assertThat(lines).extracting(row -> row.get("speaker")).containsExactly("agent", "caller", "agent", "caller",
                "agent", "caller", "agent", "caller", "agent", "caller", "agent");
        Map<String, Object> greeting = lines.get(0);
        assertThat(greeting).containsEntry("said", script.openingLine()).containsEntry("interrupted", true);
        assertThat(script.openingLine()).startsWith((String) greeting.get("heard"));
        assertThat((String) greeting.get("heard")).isNotEqualTo(script.openingLine());
        assertThat(lines.subList(1, lines.size())).extracting(row -> row.get("interrupted")).containsOnly(false);
        List<SimulationEvent.CallerSpeechStart> onsets = result.events(SimulationEvent.CallerSpeechStart.class);
        List<Map<String, Object>> callerLines = lines.stream().filter(row -> row.get("speaker").equals("caller")).toList();
        for (Map<String, Object> line : callerLines) {
            SimulationEvent.CallerSpeechStart onset = onsets.stream()
                    .filter(start -> start.line().equals(line.get("said"))).findFirst().orElseThrow();
            assertThat(((Number) line.get("start_ms")).longValue()).as("\"%s\" on the call's timeline", line.get("said"))
                    .isBetween(onset.atMs() - ONSET_WINDOW_MS, onset.atMs() + ONSET_WINDOW_MS);
        }
        for (int i = 1; i < lines.size(); i++) {
            assertThat(((Number) lines.get(i).get("end_ms")).longValue())
                    .isGreaterThan(((Number) lines.get(i).get("start_ms")).longValue())
                    .isGreaterThanOrEqualTo(((Number) lines.get(i - 1).get("end_ms")).longValue() - 1_000);
        }

        List<Map<String, Object>> events = database.queryForList(
                "SELECT * FROM call_event WHERE call_sid = ? ORDER BY event_number", sid);
        assertThat(events).extracting(row -> row.get("kind")).containsExactly("barge-in", "false-interruption");
        assertThat((String) events.get(0).get("detail")).contains(script.openingLine());
        assertThat(events.get(1)).containsEntry("detail", "\"Yeah.\"");

        Path wav = recordings.find((String) call.get("recording"));
        assertThat(wav).as("the recording the record names").isNotNull();
        short[][] sides = stereo(wav);
        assertThat((long) sides[0].length / 8).as("as long as the call, in ms")
                .isBetween(result.durationMs() - 1_000, result.durationMs() + 100);
        long clearedAt = result.events(SimulationEvent.Clear.class).get(0).atMs();
        long nextAgentAudio = result.events(SimulationEvent.AgentAudioStart.class).stream()
                .mapToLong(SimulationEvent.AgentAudioStart::atMs).filter(at -> at > clearedAt).min().orElseThrow();
        SimulationEvent.CallerSpeechStart bargeIn = onsets.get(0);
        assertThat(loudness(sides[1], 200, bargeIn.atMs() - 100)).as("the greeting, on the agent's side").isGreaterThan(500);
        assertThat(loudness(sides[1], clearedAt + 100, nextAgentAudio - 100))
                .as("nothing of the greeting after it was cut").isZero();
        assertThat(loudness(sides[0], bargeIn.atMs() + 100, bargeIn.atMs() + 800)).as("the caller's barge-in")
                .isGreaterThan(500);
        assertThat(loudness(sides[0], 200, bargeIn.atMs() - 100)).as("the caller before they spoke").isZero();
    }

    /** A moment of a turn_timing row, in ms after the caller's speech ended; null when it did not happen. */
    private static Long at(Map<String, Object> row, String column, long speechEnded) {
        Timestamp moment = (Timestamp) row.get(column);
        return moment == null ? null : moment.toInstant().toEpochMilli() - speechEnded;
    }

    /** Left and right of a 16-bit stereo WAV with the 44-byte header WavFiles writes. */
    private static short[][] stereo(Path wav) throws IOException {
        byte[] bytes = Files.readAllBytes(wav);
        assertThat(ByteBuffer.wrap(bytes, 22, 2).order(ByteOrder.LITTLE_ENDIAN).getShort()).as("channels").isEqualTo((short) 2);
        assertThat(ByteBuffer.wrap(bytes, 24, 4).order(ByteOrder.LITTLE_ENDIAN).getInt()).as("rate").isEqualTo(8000);
        ByteBuffer samples = ByteBuffer.wrap(bytes, 44, bytes.length - 44).order(ByteOrder.LITTLE_ENDIAN);
        int frames = (bytes.length - 44) / 4;
        short[][] sides = new short[2][frames];
        for (int i = 0; i < frames; i++) {
            sides[0][i] = samples.getShort();
            sides[1][i] = samples.getShort();
        }
        return sides;
    }

    /** Root-mean-square level of one side from {@code fromMs} to {@code toMs}. */
    private static double loudness(short[] side, long fromMs, long toMs) {
        double sum = 0;
        int from = (int) (fromMs * 8);
        int to = (int) Math.min(side.length, toMs * 8);
        for (int i = from; i < to; i++) {
            sum += (double) side[i] * side[i];
        }
        return to > from ? Math.sqrt(sum / (to - from)) : 0;
    }
}
