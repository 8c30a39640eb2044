package parley.simulator;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything about one simulated phone call: where the stream goes, who is calling, what the caller says
 * and when the caller gives up.
 *
 * @param url the Media Streams WebSocket URL ({@code ws://} or {@code wss://}), exactly as Twilio would dial it
 * @param authToken the Twilio auth token used to sign the handshake, or {@code null} to send no signature
 * @param customParameters the TwiML {@code <Parameter>} values, delivered in {@code start.customParameters}
 * @param accountSid the account, generated when null
 * @param callSid the call, generated when null
 * @param streamSid the stream, generated when null
 * @param lines what the caller says, spoken one at a time in this order
 * @param dtmf key presses, sorted by time
 * @param idleHangup once every line and key press is done, hang up after this long without agent audio
 * @param maxDuration hang up at this point whatever is going on
 * @param echo the agent's voice leaking back into the caller's line, as a phone without echo cancelling
 *     (or a speakerphone) lets it, or {@code null} for a clean line
 * @param recording where to write the stereo WAV (caller left, agent right), or {@code null}
 * @param report where to write the JSON event report, or {@code null}
 */
public record SimulatedCall(
        URI url,
        String authToken,
        Map<String, String> customParameters,
        String accountSid,
        String callSid,
        String streamSid,
        List<CallerLine> lines,
        List<DtmfPress> dtmf,
        Duration idleHangup,
        Duration maxDuration,
        Echo echo,
        Path recording,
        Path report) {

    /** The same call with {@code first} before its own custom parameters (its own win on a clash). */
    public SimulatedCall withParametersFirst(Map<String, String> first) {
        Map<String, String> merged = new LinkedHashMap<>(first);
        merged.putAll(customParameters);
        return new SimulatedCall(url, authToken, merged, accountSid, callSid, streamSid, lines, dtmf, idleHangup,
                maxDuration, echo, recording, report);
    }

    /** The agent's audio heard again on the caller's line {@code delay} later, {@code belowDb} quieter. */
    public record Echo(Duration delay, double belowDb) {
        public Echo {
            requirePositive(delay, "echo delay");
            if (!(belowDb >= 0)) {
                throw new IllegalArgumentException("an echo is quieter than the agent: belowDb >= 0, not " + belowDb);
            }
        }

        /** The echo's amplitude as a share of the agent's. */
        public double gain() {
            return Math.pow(10, -belowDb / 20);
        }
    }

    public static final Duration DEFAULT_IDLE_HANGUP = Duration.ofSeconds(2);
    public static final Duration DEFAULT_MAX_DURATION = Duration.ofSeconds(60);

    private static final SecureRandom RANDOM = new SecureRandom();

    public SimulatedCall {
        Objects.requireNonNull(url, "url");
        if (!"ws".equalsIgnoreCase(url.getScheme()) && !"wss".equalsIgnoreCase(url.getScheme())) {
            throw new IllegalArgumentException("the stream URL must be ws:// or wss://, not " + url);
        }
        customParameters = Collections.unmodifiableMap(new LinkedHashMap<>(customParameters));
        accountSid = accountSid != null ? accountSid : newSid("AC");
        callSid = callSid != null ? callSid : newSid("CA");
        streamSid = streamSid != null ? streamSid : newSid("MZ");
        lines = List.copyOf(lines);
        dtmf = dtmf.stream().sorted(Comparator.comparingLong(DtmfPress::atMs)).toList();
        requirePositive(idleHangup, "idleHangup");
        requirePositive(maxDuration, "maxDuration");
    }

    /** Starts describing a call to the given stream URL. */
    public static Builder to(String url) {
        return new Builder(URI.create(url));
    }

    /** Twilio's SIDs are a two-letter type prefix followed by 32 hex digits. */
    static String newSid(String prefix) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return prefix + HexFormat.of().formatHex(bytes);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }

    public static final class Builder {
        private final URI url;
        private String authToken;
        private final Map<String, String> customParameters = new LinkedHashMap<>();
        private String accountSid;
        private String callSid;
        private String streamSid;
        private final List<CallerLine> lines = new ArrayList<>();
        private final List<DtmfPress> dtmf = new ArrayList<>();
        private Duration idleHangup = DEFAULT_IDLE_HANGUP;
        private Duration maxDuration = DEFAULT_MAX_DURATION;
        private Echo echo;
        private Path recording;
        private Path report;

        private Builder(URI url) {
            this.url = url;
        }

        public Builder authToken(String authToken) {
            this.authToken = authToken;
            return this;
        }

        public Builder parameter(String name, String value) {
            customParameters.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder accountSid(String accountSid) {
            this.accountSid = accountSid;
            return this;
        }

        public Builder callSid(String callSid) {
            this.callSid = callSid;
            return this;
        }

        public Builder streamSid(String streamSid) {
            this.streamSid = streamSid;
            return this;
        }

        /** Adds a synthesized line that takes its turn after the agent. */
        public Builder say(String text) {
            return line(CallerLine.say(text));
        }

        public Builder line(CallerLine line) {
            lines.add(Objects.requireNonNull(line, "line"));
            return this;
        }

        public Builder dtmf(char digit, long atMs) {
            dtmf.add(new DtmfPress(digit, atMs));
            return this;
        }

        public Builder idleHangup(Duration idleHangup) {
            this.idleHangup = idleHangup;
            return this;
        }

        public Builder maxDuration(Duration maxDuration) {
            this.maxDuration = maxDuration;
            return this;
        }

        /** The agent's voice comes back on the caller's line {@code delay} late and {@code belowDb} quieter. */
        public Builder echo(Duration delay, double belowDb) {
            this.echo = new Echo(delay, belowDb);
            return this;
        }

        public Builder recordTo(Path recording) {
            this.recording = recording;
            return this;
        }

        public Builder reportTo(Path report) {
            this.report = report;
            return this;
        }

        public SimulatedCall build() {
            return new SimulatedCall(url, authToken, customParameters, accountSid, callSid, streamSid,
                    lines, dtmf, idleHangup, maxDuration, echo, recording, report);
        }
    }
}
