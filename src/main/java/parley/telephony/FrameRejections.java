package parley.telephony;

import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import parley.call.CallSession;

/**
 * Accounts for inbound frames Parley could not use: a counter per reason ({@code parley.media.frames.rejected})
 * and a log line with the call id. A misbehaving peer can send thousands of bad frames, so each call logs the
 * first few of each kind and then every hundredth.
 */
@Component
public class FrameRejections {

    private static final Logger LOG = LoggerFactory.getLogger(FrameRejections.class);
    private static final int LOGGED_IN_FULL = 3;
    private static final int LOG_EVERY = 100;

    private final Map<FrameProblem, Counter> counters = new EnumMap<>(FrameProblem.class);

    public FrameRejections(MeterRegistry meters) {
        for (FrameProblem problem : FrameProblem.values()) {
            counters.put(problem, Counter.builder("parley.media.frames.rejected")
                    .description("Inbound Media Streams frames not used, by reason")
                    .tag("reason", problem.tag())
                    .register(meters));
        }
    }

    public void reject(CallSession call, String connectionKey, FrameProblem problem, String detail) {
        counters.get(problem).increment();
        int count = call != null ? call.rejected(problem, detail) : 1;
        if (count <= LOGGED_IN_FULL || count % LOG_EVERY == 0) {
            LOG.warn("Call {}: ignored a {} frame ({}); {} of this kind on this call",
                    call != null ? call.callId() : "socket " + connectionKey, problem.tag(), detail, count);
        }
    }

    public double count(FrameProblem problem) {
        return counters.get(problem).count();
    }
}
