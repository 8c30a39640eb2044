package parley.telephony;

import java.util.Map;
import java.util.function.IntSupplier;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses a media socket handshake, before the upgrade, whose Twilio signature does not match the stream URL
 * Parley gave out (403), or that would take this instance past its limit of live calls (503).
 */
public final class HandshakeGuard implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(HandshakeGuard.class);

    private final TwilioSignatures signatures;
    private final String streamUrl;
    private final IntSupplier liveCalls;
    private final int maxLiveCalls;

    public HandshakeGuard(TwilioSignatures signatures, String streamUrl, IntSupplier liveCalls, int maxLiveCalls) {
        this.signatures = signatures;
        this.streamUrl = streamUrl;
        this.liveCalls = liveCalls;
        this.maxLiveCalls = maxLiveCalls;
    }

    @Override
    public void handle(RoutingContext context) {
        if (signatures.valid(streamUrl, Map.of(), context.request().getHeader(TwilioSignatures.HEADER))) {
            int live = liveCalls.getAsInt();
            if (live < maxLiveCalls) {
                context.next();
                return;
            }
            LOG.warn("Refused a media stream from {}: {} calls live, the limit (parley.calls.max-live) is {}",
                    context.request().remoteAddress(), live, maxLiveCalls);
            context.response().setStatusCode(503).end("This instance is at its limit of " + maxLiveCalls + " calls");
            return;
        }
        LOG.warn("Refused a media stream handshake from {}: missing or invalid {}",
                context.request().remoteAddress(), TwilioSignatures.HEADER);
        context.response().setStatusCode(403).end("Invalid Twilio signature");
    }
}
