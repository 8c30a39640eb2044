package parley.telephony;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.component.vertx.websocket.VertxWebsocketConfiguration;
import org.apache.camel.component.vertx.websocket.VertxWebsocketEndpoint;

/** A media-stream endpoint whose server consumer is a {@link CallStreamConsumer}. */
final class CallStreamEndpoint extends VertxWebsocketEndpoint {

    private final CallStreamComponent component;

    CallStreamEndpoint(String uri, CallStreamComponent component, VertxWebsocketConfiguration configuration) {
        super(uri, component, configuration);
        this.component = component;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (getConfiguration().isConsumeAsClient()) {
            return super.createConsumer(processor);
        }
        if (!getConfiguration().isFireWebSocketConnectionEvents()) {
            throw new IllegalArgumentException(getEndpointUri() + " needs fireWebSocketConnectionEvents=true:"
                    + " a call's state is opened and released by those events");
        }
        CallStreamConsumer consumer = new CallStreamConsumer(this, processor, component);
        configureConsumer(consumer);
        return consumer;
    }
}
