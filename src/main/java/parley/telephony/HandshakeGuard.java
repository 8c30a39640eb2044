package parley.telephony;

import java.util.Map;
import java.util.function.Supplier;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.call.CallRegistry;

/**
 * Refuses a media socket handshake, before the upgrade, whose Twilio signature does not match the stream URL
 * Parley gave out (403), or that would take this instance past its limit of live calls (503).
 */
public final class HandshakeGuard implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(HandshakeGuard.class);

    private final TwilioSignatures signatures;
    private final String streamUrl;
    private final Supplier<CallRegistry> calls;

    /** {@code calls} is looked up at the first handshake: the registry is made after the HTTP server. */
    public HandshakeGuard(TwilioSignatures signatures, String streamUrl, Supplier<CallRegistry> calls) {
        this.signatures = signatures;
        this.streamUrl = streamUrl;
        this.calls = calls;
    }

    @Override
    public void handle(RoutingContext context) {
        if (signatures.valid(streamUrl, Map.of(), context.request().getHeader(TwilioSignatures.HEADER))) {
            CallRegistry registry = calls.get();
            if (!registry.atLimit()) {
                context.next();
                return;
            }
            LOG.warn("Refused a media stream from {}: {} calls live, the limit (parley.calls.max-live) is {}",
                    context.request().remoteAddress(), registry.size(), registry.limit());
            context.response().setStatusCode(503).end("This instance is at its limit of " + registry.limit() + " calls");
            return;
        }
        LOG.warn("Refused a media stream handshake from {}: missing or invalid {}",
                context.request().remoteAddress(), TwilioSignatures.HEADER);
        context.response().setStatusCode(403).end("Invalid Twilio signature");
    }
}
