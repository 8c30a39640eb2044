package parley.telephony;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads Twilio Media Streams messages into {@link StreamEvent}s and writes Parley's media, mark and clear
 * messages. Stateless and thread-safe.
 */
public final class StreamCodec {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Decoder BASE64_IN = Base64.getDecoder();
    private static final Base64.Encoder BASE64_OUT = Base64.getEncoder();

    private StreamCodec() {
    }

    public static StreamEvent read(String frame) throws BadFrameException {
        JsonNode root;
        try {
            root = JSON.readTree(frame);
        } catch (JsonProcessingException e) {
            throw new BadFrameException(FrameProblem.MALFORMED_JSON, e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new BadFrameException(FrameProblem.MALFORMED_JSON, "not a JSON object");
        }
        String event = root.path("event").asText("");
        return switch (event) {
            case "media" -> readMedia(root);
            case "mark" -> new StreamEvent.MarkReached(text(root.path("mark"), "name"));
            case "dtmf" -> new StreamEvent.DigitPressed(text(root.path("dtmf"), "digit"));
            case "start" -> readStart(root.path("start"));
            case "stop" -> new StreamEvent.Stopped(root.path("stop").path("callSid").asText(""));
            case "connected" -> new StreamEvent.Connected(root.path("protocol").asText(""), root.path("version").asText(""));
            case "" -> throw new BadFrameException(FrameProblem.MISSING_FIELD, "no event name");
            default -> throw new BadFrameException(FrameProblem.UNKNOWN_EVENT, "unknown event '" + abbreviate(event) + "'");
        };
    }

    private static StreamEvent readMedia(JsonNode root) throws BadFrameException {
        JsonNode media = root.path("media");
        String payload = text(media, "payload");
        byte[] audio;
        try {
            audio = BASE64_IN.decode(payload);
        } catch (IllegalArgumentException e) {
            throw new BadFrameException(FrameProblem.INVALID_PAYLOAD, "payload is not base64: " + e.getMessage());
        }
        return new StreamEvent.CallerAudio(
                number(root, "sequenceNumber"), number(media, "chunk"), number(media, "timestamp"), audio);
    }

    private static StreamEvent readStart(JsonNode start) throws BadFrameException {
        Map<String, String> parameters = new LinkedHashMap<>();
        start.path("customParameters").fields().forEachRemaining(p -> parameters.put(p.getKey(), p.getValue().asText()));
        List<String> tracks = new ArrayList<>();
        start.path("tracks").forEach(t -> tracks.add(t.asText()));
        JsonNode format = start.path("mediaFormat");
        String encoding = format.path("encoding").asText("audio/x-mulaw");
        int sampleRate = format.path("sampleRate").asInt(8000);
        if (!"audio/x-mulaw".equals(encoding) || sampleRate != 8000) {
            throw new BadFrameException(FrameProblem.INVALID_PAYLOAD,
                    "unsupported media format " + encoding + " at " + sampleRate + " Hz");
        }
        return new StreamEvent.Started(text(start, "streamSid"), text(start, "callSid"),
                start.path("accountSid").asText(""), List.copyOf(tracks), encoding, sampleRate, Map.copyOf(parameters));
    }

    private static String text(JsonNode node, String field) throws BadFrameException {
        JsonNode value = node.get(field);
        if (value == null || !value.isValueNode() || value.isNull()) {
            throw new BadFrameException(FrameProblem.MISSING_FIELD, "missing " + field);
        }
        return value.asText();
    }

    /** Twilio sends counters as strings; a missing or garbled one reads as -1 rather than losing the audio. */
    private static long number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null) {
            return -1;
        }
        if (value.isNumber()) {
            return value.asLong();
        }
        try {
            return Long.parseLong(value.asText());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    /** Writes messages for one stream; the prefixes are built once because media goes out 50 times a second. */
    public static final class Writer {
        private final String mediaPrefix;
        private final String markPrefix;
        private final String clear;

        public Writer(String streamSid) {
            String sid = quote(streamSid);
            this.mediaPrefix = "{\"event\":\"media\",\"streamSid\":" + sid + ",\"media\":{\"payload\":\"";
            this.markPrefix = "{\"event\":\"mark\",\"streamSid\":" + sid + ",\"mark\":{\"name\":";
            this.clear = "{\"event\":\"clear\",\"streamSid\":" + sid + "}";
        }

        public String media(byte[] audio, int offset, int length) {
            byte[] slice = offset == 0 && length == audio.length ? audio : Arrays.copyOfRange(audio, offset, offset + length);
            return mediaPrefix + BASE64_OUT.encodeToString(slice) + "\"}}";
        }

        public String mark(String name) {
            return markPrefix + quote(name) + "}}";
        }

        public String clear() {
            return clear;
        }

        private static String quote(String s) {
            return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
        }
    }
}
