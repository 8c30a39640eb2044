package parley.call;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import org.apache.camel.Exchange;
import org.apache.camel.component.vertx.websocket.VertxWebsocketConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import parley.config.ParleyProperties;
import parley.conversation.SalesScript;

/** The live calls on this instance, by the media socket's connection key. */
@Component
public class CallRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(CallRegistry.class);

    /** Twilio closes the socket right after its stop; a peer that does not is closed after this long. */
    static final long CLOSE_GRACE_MS = 2_000;

    private final Map<String, CallSession> calls = new ConcurrentHashMap<>();
    private final ParleyProperties properties;
    private final Vertx vertx;
    private final CallEvents events;
    private final Clock clock;
    private final SalesScript script;
    private final CallWatch callWatch;

    public CallRegistry(ParleyProperties properties, MeterRegistry meters, Vertx vertx, CallEvents events,
                        Clock clock, SalesScript script, CallWatch callWatch) {
        this.callWatch = callWatch;
        this.properties = properties;
        this.clock = clock;
        this.script = script;
        this.vertx = vertx;
        this.events = events;
        meters.gaugeMapSize("parley.calls.live", List.of(), calls);
    }

    public CallSession open(String connectionKey, ServerWebSocket socket, SerialLane lane) {
        CallSession session = new CallSession(connectionKey, socket, lane, properties.playback(), clock,
                properties.records().recordingMs(), callWatch);
        calls.put(connectionKey, session);
        return session;
    }

    /** The call an exchange from the media socket belongs to, or null once it has ended. */
    public CallSession of(Exchange exchange) {
        String key = exchange.getMessage().getHeader(VertxWebsocketConstants.CONNECTION_KEY, String.class);
        return key == null ? null : calls.get(key);
    }

    /** The live call Twilio knows by this CallSid, if it is on this instance. */
    public CallSession byCallSid(String callSid) {
        for (CallSession call : calls.values()) {
            if (call.stream() != null && call.stream().callSid().equals(callSid)) {
                return call;
            }
        }
        return null;
    }

    public CallSession get(String connectionKey) {
        return calls.get(connectionKey);
    }

    /**
     * Ends the call and forgets it; everything it held is released with it, and a call that was under way
     * leaves its record. The socket, if still open, is closed after a grace period, since its peer is
     * expected to close it. Every end passes here (Twilio's stop, the socket closing, the script's last line,
     * a transfer), and only the first counts.
     */
    public void end(CallSession session, String reason) {
        ServerWebSocket socket = session.socket();
        if (!socket.isClosed()) {
            vertx.setTimer(CLOSE_GRACE_MS, timer -> {
                if (!socket.isClosed()) {
                    socket.close();
                }
            });
        }
        boolean ended = session.end(reason);
        if (ended) {
            LOG.info("Call {} ended ({}) after {} ms; caller audio {} ms in {} frames, {} missing",
                    session.callId(), reason, session.ageMs(), session.callerAudioMs(), session.callerFrames(),
                    session.missingFrames());
        }
        calls.remove(session.connectionKey(), session);
        if (ended && session.stream() != null) {
            EndedCall record = EndedCall.of(session, script);
            callWatch.live(new LiveEvent.Ended(session.stream().callSid(), reason,
                    record.outcome() == null ? null : record.outcome().name().toLowerCase(Locale.ROOT),
                    session.ageMs()));
            events.ended(record);
        }
    }

    /** Parley ends the call: the media stream closes now, and Twilio, with no TwiML left, hangs up. */
    public void hangUp(CallSession session, String reason) {
        end(session, reason);
        ServerWebSocket socket = session.socket();
        if (!socket.isClosed()) {
            socket.close();
        }
    }

    public Collection<CallSession> live() {
        return calls.values();
    }

    public int size() {
        return calls.size();
    }

    /** The most calls this instance takes at once ({@code parley.calls.max-live}). */
    public int limit() {
        return properties.calls().maxLive();
    }

    /** Whether the instance has as many calls as it takes: a new one is refused. */
    public boolean atLimit() {
        return calls.size() >= limit();
    }
}
