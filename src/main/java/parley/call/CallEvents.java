package parley.call;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.vertx.websocket.VertxWebsocketConstants;
import org.springframework.stereotype.Component;

/**
 * Starts a route for a call from outside a route: a scored window coming back from the batched detector, on
 * the call's lane so it stays in order with the call's frames; or the call's record once it has ended.
 */
@Component
public class CallEvents {

    private final ProducerTemplate routes;
    private final CamelContext camel;

    public CallEvents(ProducerTemplate routes, CamelContext camel) {
        this.routes = routes;
        this.camel = camel;
    }

    /** A route's endpoint, looked up once by the caller: events go to it many times a second per call. */
    public Endpoint to(String uri) {
        return camel.getEndpoint(uri);
    }

    public void send(CallSession call, Endpoint to, Object body) {
        call.lane().force(() -> {
            if (call.streaming()) {
                routes.send(to, exchange -> {
                    exchange.getMessage().setBody(body);
                    exchange.getMessage().setHeader(VertxWebsocketConstants.CONNECTION_KEY, call.connectionKey());
                });
            }
        });
    }

    /**
     * A call ended, from whichever thread ended it. The records stage only queues the record, so this
     * returns at once, and a failure there is that stage's to log: ending the call never waits for it.
     */
    void ended(EndedCall call) {
        routes.send("direct:call-ended", exchange -> exchange.getMessage().setBody(call));
    }
}
