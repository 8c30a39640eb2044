package parley.processors;

import io.vertx.core.http.ServerWebSocket;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.vertx.websocket.VertxWebsocketConstants;
import org.springframework.stereotype.Component;
import parley.call.CallRegistry;
import parley.telephony.CallStreamComponent;

/** A media socket opened: the call's session starts here, before Twilio says anything on it. */
@Component
public class OpenCall implements Processor {

    private final CallRegistry calls;
    private final CallStreamComponent mediaStreams;

    public OpenCall(CallRegistry calls, CallStreamComponent mediaStreams) {
        this.calls = calls;
        this.mediaStreams = mediaStreams;
    }

    @Override
    public void process(Exchange exchange) {
        String key = exchange.getMessage().getHeader(VertxWebsocketConstants.CONNECTION_KEY, String.class);
        calls.open(key, exchange.getMessage().getBody(ServerWebSocket.class), mediaStreams.laneOf(key));
    }
}
