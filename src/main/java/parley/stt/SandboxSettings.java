package parley.stt;

import java.time.Duration;
import java.util.Objects;

/**
 * @param host interface to listen on
 * @param port port to listen on; 0 picks a free one (see {@link SandboxRecognizer#url()})
 * @param latency how long after the audio that decides a message the message is sent, standing in for
 *     Deepgram's processing and network time
 * @param idleTimeout a connection that receives neither audio nor a message for this long is closed with
 *     1011 {@code NET-0001}, as Deepgram does after about 10 s
 */
public record SandboxSettings(String host, int port, Duration latency, Duration idleTimeout) {

    public SandboxSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative, got " + latency);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive, got " + idleTimeout);
        }
    }

    /** Loopback, a free port, 150 ms latency, Deepgram's 10 s idle timeout. */
    public static SandboxSettings defaults() {
        return new SandboxSettings("127.0.0.1", 0, Duration.ofMillis(150), Duration.ofSeconds(10));
    }

    public SandboxSettings withLatency(Duration newLatency) {
        return new SandboxSettings(host, port, newLatency, idleTimeout);
    }

    public SandboxSettings withIdleTimeout(Duration newIdleTimeout) {
        return new SandboxSettings(host, port, latency, newIdleTimeout);
    }
}
