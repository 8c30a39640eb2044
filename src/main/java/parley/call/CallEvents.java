package parley.call;

import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.vertx.websocket.VertxWebsocketConstants;
import org.springframework.stereotype.Component;

/**
 * Starts a route for a call from outside a route (a scored window coming back from the batched detector),
 * on the call's lane, so it stays in order with the call's frames.
 */
@Component
public class CallEvents {

    private final ProducerTemplate routes;

    public CallEvents(ProducerTemplate routes) {
        this.routes = routes;
    }

    public void send(CallSession call, String endpoint, Object body) {
        call.lane().force(() -> {
            if (call.streaming()) {
                routes.sendBodyAndHeader(endpoint, body, VertxWebsocketConstants.CONNECTION_KEY, call.connectionKey());
            }
        });
    }
}
