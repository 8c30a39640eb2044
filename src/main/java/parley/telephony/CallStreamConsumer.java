package parley.telephony;

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
        switch (event) {
            case MESSAGE -> {
                if (!lane.offer(() -> run(exchange))) {
                    releaseExchange(exchange, false);
                    component.onRefusedFrame().accept(key, lane.queued());
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
