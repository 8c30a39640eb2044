package parley.telephony;

import java.util.Map;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Refuses a media socket handshake whose Twilio signature does not match the stream URL Parley gave out. */
public final class HandshakeGuard implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(HandshakeGuard.class);

    private final TwilioSignatures signatures;
    private final String streamUrl;

    public HandshakeGuard(TwilioSignatures signatures, String streamUrl) {
        this.signatures = signatures;
        this.streamUrl = streamUrl;
    }

    @Override
    public void handle(RoutingContext context) {
        if (signatures.valid(streamUrl, Map.of(), context.request().getHeader(TwilioSignatures.HEADER))) {
            context.next();
            return;
        }
        LOG.warn("Refused a media stream handshake from {}: missing or invalid {}",
                context.request().remoteAddress(), TwilioSignatures.HEADER);
        context.response().setStatusCode(403).end("Invalid Twilio signature");
    }
}
