package parley.telephony;

import java.util.List;
import java.util.Map;

/**
 * What Twilio says on a Media Streams socket, one record per event. Counters arrive as strings on the wire
 * and are numbers here.
 */
public sealed interface StreamEvent {

    /** The Twilio event name, used by the routes to branch. */
    String event();

    record Connected(String protocol, String version) implements StreamEvent {
        public String event() {
            return "connected";
        }
    }

    record Started(String streamSid, String callSid, String accountSid, List<String> tracks,
                   String encoding, int sampleRate, Map<String, String> customParameters) implements StreamEvent {
        public String event() {
            return "start";
        }
    }

    /** One chunk of caller audio: raw mu-law 8 kHz, usually 160 bytes (20 ms), not guaranteed. */
    record CallerAudio(long sequenceNumber, long chunk, long timestampMs, byte[] payload) implements StreamEvent {
        public String event() {
            return "media";
        }
    }

    record DigitPressed(String digit) implements StreamEvent {
        public String event() {
            return "dtmf";
        }
    }

    /** Twilio played everything sent before this mark, or dropped it on a clear. */
    record MarkReached(String name) implements StreamEvent {
        public String event() {
            return "mark";
        }
    }

    record Stopped(String callSid) implements StreamEvent {
        public String event() {
            return "stop";
        }
    }
}
