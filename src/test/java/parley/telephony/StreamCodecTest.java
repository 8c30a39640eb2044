package parley.telephony;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamCodecTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readsEveryTwilioEvent() throws Exception {
        assertThat(StreamCodec.read("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}"))
                .isEqualTo(new StreamEvent.Connected("Call", "1.0.0"));

        StreamEvent start = StreamCodec.read("""
                {"event":"start","sequenceNumber":"1","streamSid":"MZ1","start":{"accountSid":"AC1","streamSid":"MZ1",
                 "callSid":"CA1","tracks":["inbound"],"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,
                 "channels":1},"customParameters":{"From":"+15551234567","lead":"42"}}}""");
        assertThat(start).isEqualTo(new StreamEvent.Started("MZ1", "CA1", "AC1", List.of("inbound"),
                "audio/x-mulaw", 8000, Map.of("From", "+15551234567", "lead", "42")));

        byte[] audio = {(byte) 0xFF, 0x7F, 0x00, 0x12};
        StreamEvent media = StreamCodec.read("{\"event\":\"media\",\"sequenceNumber\":\"3\",\"streamSid\":\"MZ1\","
                + "\"media\":{\"track\":\"inbound\",\"chunk\":\"2\",\"timestamp\":\"40\",\"payload\":\""
                + Base64.getEncoder().encodeToString(audio) + "\"}}");
        assertThat(media).isInstanceOfSatisfying(StreamEvent.CallerAudio.class, m -> {
            assertThat(m.sequenceNumber()).isEqualTo(3);
            assertThat(m.chunk()).isEqualTo(2);
            assertThat(m.timestampMs()).isEqualTo(40);
            assertThat(m.payload()).containsExactly(audio);
        });

        assertThat(StreamCodec.read("{\"event\":\"dtmf\",\"streamSid\":\"MZ1\",\"sequenceNumber\":\"9\","
                + "\"dtmf\":{\"track\":\"inbound_track\",\"digit\":\"1\"}}")).isEqualTo(new StreamEvent.DigitPressed("1"));
        assertThat(StreamCodec.read("{\"event\":\"mark\",\"streamSid\":\"MZ1\",\"sequenceNumber\":\"12\","
                + "\"mark\":{\"name\":\"u3-end\"}}")).isEqualTo(new StreamEvent.MarkReached("u3-end"));
        assertThat(StreamCodec.read("{\"event\":\"stop\",\"streamSid\":\"MZ1\",\"sequenceNumber\":\"40\","
                + "\"stop\":{\"accountSid\":\"AC1\",\"callSid\":\"CA1\"}}")).isEqualTo(new StreamEvent.Stopped("CA1"));
    }

    @Test
    void namesWhatIsWrongWithABadFrame() {
        assertProblem("{\"event\":\"media\",", FrameProblem.MALFORMED_JSON);
        assertProblem("[1,2]", FrameProblem.MALFORMED_JSON);
        assertProblem("{\"event\":\"dance\"}", FrameProblem.UNKNOWN_EVENT);
        assertProblem("{\"media\":{}}", FrameProblem.MISSING_FIELD);
        assertProblem("{\"event\":\"media\",\"media\":{\"payload\":\"***not base64***\"}}", FrameProblem.INVALID_PAYLOAD);
        assertProblem("{\"event\":\"media\",\"media\":{}}", FrameProblem.MISSING_FIELD);
        assertProblem("{\"event\":\"start\",\"start\":{\"streamSid\":\"MZ\",\"callSid\":\"CA\",\"mediaFormat\":"
                + "{\"encoding\":\"audio/x-l16\",\"sampleRate\":16000}}}", FrameProblem.INVALID_PAYLOAD);
    }

    @Test
    void garbledCountersDoNotLoseTheAudio() throws Exception {
        StreamEvent media = StreamCodec.read("{\"event\":\"media\",\"sequenceNumber\":\"x\",\"media\":{\"payload\":\"/w==\"}}");
        assertThat(media).isInstanceOfSatisfying(StreamEvent.CallerAudio.class, m -> {
            assertThat(m.sequenceNumber()).isEqualTo(-1);
            assertThat(m.payload()).containsExactly((byte) 0xFF);
        });
    }

    @Test
    void writesTwilioOutboundMessages() throws Exception {
        StreamCodec.Writer writer = new StreamCodec.Writer("MZ\"odd");
        byte[] audio = {1, 2, 3, 4, 5};
        JsonNode media = JSON.readTree(writer.media(audio, 1, 3));
        assertThat(media.get("event").asText()).isEqualTo("media");
        assertThat(media.get("streamSid").asText()).isEqualTo("MZ\"odd");
        assertThat(Base64.getDecoder().decode(media.at("/media/payload").asText())).containsExactly(2, 3, 4);

        JsonNode mark = JSON.readTree(writer.mark("u1-end"));
        assertThat(mark.at("/mark/name").asText()).isEqualTo("u1-end");
        assertThat(mark.get("event").asText()).isEqualTo("mark");

        assertThat(JSON.readTree(writer.clear())).isEqualTo(JSON.readTree("{\"event\":\"clear\",\"streamSid\":\"MZ\\\"odd\"}"));
    }

    private static void assertProblem(String frame, FrameProblem problem) {
        assertThatThrownBy(() -> StreamCodec.read(frame))
                .isInstanceOfSatisfying(BadFrameException.class, e -> assertThat(e.problem()).isEqualTo(problem));
    }
}
