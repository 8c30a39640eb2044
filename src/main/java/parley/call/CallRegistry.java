package parley.call;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.ServerWebSocket;
import org.apache.camel.Exchange;
import org.apache.camel.component.vertx.websocket.VertxWebsocketConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import parley.config.ParleyProperties;

/** The live calls on this instance, by the media socket's connection key. */
@Component
public class CallRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(CallRegistry.class);

    private final Map<String, CallSession> calls = new ConcurrentHashMap<>();
    private final ParleyProperties properties;

    public CallRegistry(ParleyProperties properties, MeterRegistry meters) {
        this.properties = properties;
        meters.gaugeMapSize("parley.calls.live", java.util.List.of(), calls);
    }

    public CallSession open(String connectionKey, ServerWebSocket socket) {
        CallSession session = new CallSession(connectionKey, socket, properties.playback());
        calls.put(connectionKey, session);
        return session;
    }

    /** The call an exchange from the media socket belongs to, or null once it has ended. */
    public CallSession of(Exchange exchange) {
        String key = exchange.getMessage().getHeader(VertxWebsocketConstants.CONNECTION_KEY, String.class);
        return key == null ? null : calls.get(key);
    }

    public CallSession get(String connectionKey) {
        return calls.get(connectionKey);
    }

    /** Ends the call and forgets it; everything it held is released with it. */
    public void end(CallSession session, String reason) {
        if (session.end(reason)) {
            LOG.info("Call {} ended ({}) after {} ms; caller audio {} ms in {} frames, {} missing",
                    session.callId(), reason, session.ageMs(), session.callerAudioMs(), session.callerFrames(),
                    session.sequenceGaps());
        }
        calls.remove(session.connectionKey(), session);
    }

    public Collection<CallSession> live() {
        return calls.values();
    }

    public int size() {
        return calls.size();
    }
}
