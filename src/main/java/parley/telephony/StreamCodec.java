package parley.telephony;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * Reads Twilio Media Streams messages into {@link StreamEvent}s and writes Parley's media, mark and clear
 * messages. Stateless and thread-safe.
 */
public final class StreamCodec {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder BASE64_OUT = Base64.getEncoder();

    private StreamCodec() {
    }

    /**
     * Reads one frame. Media (50 a second per call) is read token by token, its base64 decoded straight from
     * the parser's buffer; the rare other events keep their nested object as a tree.
     */
    public static StreamEvent read(String frame) throws BadFrameException {
        String event = "";
        long sequenceNumber = -1;
        MediaChunk media = null;
        JsonNode nested = null;
        String protocol = "";
        String version = "";
        try (JsonParser parser = JSON.getFactory().createParser(frame)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new BadFrameException(FrameProblem.MALFORMED_JSON, "not a JSON object");
            }
            for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "event" -> event = value.isScalarValue() ? parser.getValueAsString("") : skip(parser, "");
                    case "sequenceNumber" -> sequenceNumber = number(parser, value);
                    case "protocol" -> protocol = parser.getValueAsString("");
                    case "version" -> version = parser.getValueAsString("");
                    case "media" -> media = value == JsonToken.START_OBJECT ? readChunk(parser) : skip(parser, null);
                    case "start", "mark", "dtmf", "stop" -> nested = parser.readValueAsTree();
                    default -> parser.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            throw new BadFrameException(FrameProblem.MALFORMED_JSON, e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadFrameException(FrameProblem.MALFORMED_JSON, e.getMessage());
        }
        JsonNode inner = nested == null ? MissingNode.getInstance() : nested;
        return switch (event) {
            case "media" -> {
                if (media == null || media.payload() == null) {
                    throw new BadFrameException(FrameProblem.MISSING_FIELD, "missing payload");
                }
                yield new StreamEvent.CallerAudio(sequenceNumber, media.chunk(), media.timestamp(), media.payload());
            }
            case "mark" -> new StreamEvent.MarkReached(text(inner, "name"));
            case "dtmf" -> new StreamEvent.DigitPressed(text(inner, "digit"));
            case "start" -> readStart(inner);
            case "stop" -> new StreamEvent.Stopped(inner.path("callSid").asText(""));
            case "connected" -> new StreamEvent.Connected(protocol, version);
            case "" -> throw new BadFrameException(FrameProblem.MISSING_FIELD, "no event name");
            default -> throw new BadFrameException(FrameProblem.UNKNOWN_EVENT, "unknown event '" + abbreviate(event) + "'");
        };
    }

    private record MediaChunk(long chunk, long timestamp, byte[] payload) {
    }

    private static MediaChunk readChunk(JsonParser parser) throws IOException, BadFrameException {
        long chunk = -1;
        long timestamp = -1;
        byte[] payload = null;
        for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
            JsonToken value = parser.nextToken();
            switch (field) {
                case "chunk" -> chunk = number(parser, value);
                case "timestamp" -> timestamp = number(parser, value);
                case "payload" -> payload = payload(parser, value);
                default -> parser.skipChildren();
            }
        }
        return new MediaChunk(chunk, timestamp, payload);
    }

    private static byte[] payload(JsonParser parser, JsonToken value) throws IOException, BadFrameException {
        if (value != JsonToken.VALUE_STRING) {
            throw new BadFrameException(FrameProblem.MISSING_FIELD, "missing payload");
        }
        try {
            return parser.getBinaryValue(Base64Variants.MIME_NO_LINEFEEDS);
        } catch (JsonParseException e) {
            throw new BadFrameException(FrameProblem.INVALID_PAYLOAD, "payload is not base64: " + e.getOriginalMessage());
        }
    }

    /** Twilio sends counters as strings; a missing or garbled one reads as -1 rather than losing the audio. */
    private static long number(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT) {
            return parser.getLongValue();
        }
        if (value == JsonToken.VALUE_STRING) {
            try {
                return Long.parseLong(parser.getText());
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        parser.skipChildren();
        return -1;
    }

    private static <T> T skip(JsonParser parser, T instead) throws IOException {
        parser.skipChildren();
        return instead;
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
