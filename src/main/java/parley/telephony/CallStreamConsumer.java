package parley.telephony;

import java.util.Locale;

import io.vertx.ext.web.RoutingContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.vertx.websocket.VertxWebsocketConstants;
import org.apache.camel.component.vertx.websocket.VertxWebsocketConsumer;
import org.apache.camel.component.vertx.websocket.VertxWebsocketEndpoint;
import org.apache.camel.component.vertx.websocket.VertxWebsocketEvent;
import parley.call.SerialLane;

/** Runs each socket's exchanges in arrival order on that socket's lane. See {@link CallStreamComponent}. */
final class CallStreamConsumer extends VertxWebsocketConsumer {

    /**
     * What happened on the socket, as a plain string ({@code opened}, {@code frame}, {@code closed}) for the
     * media route to branch on: Camel's own event header is an enum, and comparing it with a string in a
     * route walks the type-converter registry for every frame.
     */
    static final String SOCKET_EVENT = "mediaSocket";

    private final CallStreamComponent component;

    CallStreamConsumer(VertxWebsocketEndpoint endpoint, Processor processor, CallStreamComponent component) {
        super(endpoint, processor);
        this.component = component;
    }

    /** Called on the socket's event loop, so exchanges of one socket arrive here in order. */
    @Override
    protected void processExchange(Exchange exchange, RoutingContext routingContext) {
        Message message = exchange.getMessage();
        String key = message.getHeader(VertxWebsocketConstants.CONNECTION_KEY, String.class);
        VertxWebsocketEvent event = message.getHeader(VertxWebsocketConstants.EVENT, VertxWebsocketEvent.class);
        SerialLane lane = component.laneOf(key);
        message.setHeader(SOCKET_EVENT, switch (event) {
            case OPEN -> "opened";
            case CLOSE -> "closed";
            case MESSAGE -> "frame";
            default -> event.name().toLowerCase(Locale.ROOT);
        });
        switch (event) {
            case MESSAGE -> {
                // JSON is ASCII on this socket, so characters count bytes. A frame too big for any Twilio message
                // is refused here, before it takes a place in the call's queue.
                if (message.getBody() instanceof String frame && frame.length() > component.maxFrameBytes()) {
                    releaseExchange(exchange, false);
                    component.refusedFrames().refused(key, FrameProblem.OVERSIZE,
                            frame.length() + " bytes, limit " + component.maxFrameBytes());
                } else if (!lane.offer(() -> run(exchange))) {
                    releaseExchange(exchange, false);
                    component.refusedFrames().refused(key, FrameProblem.FLOOD, lane.queued() + " frames already waiting");
                }
            }
            case CLOSE -> lane.force(() -> {
                try {
                    run(exchange);
                } finally {
                    component.closeLane(key);
                }
            });
            default -> lane.force(() -> run(exchange));
        }
    }

    private void run(Exchange exchange) {
        try {
            createUoW(exchange);
            getProcessor().process(exchange);
        } catch (Exception e) {
            getExceptionHandler().handleException("Media stream exchange failed", exchange, e);
        } finally {
            doneUoW(exchange);
            releaseExchange(exchange, false);
        }
    }
}
