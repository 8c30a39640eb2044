package parley.telephony;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

import io.vertx.core.http.HttpServerOptions;
import org.apache.camel.component.vertx.websocket.VertxWebsocketComponent;
import org.apache.camel.component.vertx.websocket.VertxWebsocketConfiguration;
import org.apache.camel.component.vertx.websocket.VertxWebsocketEndpoint;
import parley.call.SerialLane;

/**
 * The {@code vertx-websocket} component, with a consumer that keeps each call's frames in order.
 *
 * <p>The stock consumer hands every frame to Vert.x's worker pool unordered, so audio, marks and stop of one
 * call can overtake each other. Here each socket gets a {@link parley.call.SerialLane}: frames of a call run
 * in order, calls run in parallel, and a call that floods is refused frames rather than growing a queue.
 */
// Named like the stock component so Camel finds its generated option configurers for this subclass too.
@org.apache.camel.spi.annotations.Component("vertx-websocket")
public class CallStreamComponent extends VertxWebsocketComponent {

    private final Executor workers;
    private final int laneCapacity;
    private final HttpServerOptions serverOptions;
    private final BiConsumer<String, Integer> onRefusedFrame;
    private final Map<String, SerialLane> lanes = new ConcurrentHashMap<>();
    private final String host;
    private final int port;

    /**
     * @param onRefusedFrame told the connection key and the lane depth when a frame is refused for flooding
     */
    public CallStreamComponent(String host, int port, Executor workers, int laneCapacity,
                               HttpServerOptions serverOptions, BiConsumer<String, Integer> onRefusedFrame) {
        this.host = host;
        this.port = port;
        this.workers = workers;
        this.laneCapacity = laneCapacity;
        this.serverOptions = serverOptions;
        this.onRefusedFrame = onRefusedFrame;
    }

    /** The listener is Parley's one port, whatever the component's own settings say. */
    @Override
    public String getDefaultHost() {
        return host;
    }

    @Override
    public int getDefaultPort() {
        return port;
    }

    /** The lane of a socket, made when its first event arrives. */
    public SerialLane laneOf(String connectionKey) {
        return lanes.computeIfAbsent(connectionKey, key -> new SerialLane(workers, laneCapacity));
    }

    void closeLane(String connectionKey) {
        lanes.remove(connectionKey);
    }

    /** Sockets whose lanes are still held: zero when no call is connected. */
    public int openLanes() {
        return lanes.size();
    }

    BiConsumer<String, Integer> onRefusedFrame() {
        return onRefusedFrame;
    }

    @Override
    protected VertxWebsocketEndpoint createEndpointInstance(String uri, VertxWebsocketConfiguration configuration) {
        configuration.setServerOptions(serverOptions);
        return new CallStreamEndpoint(uri, this, configuration);
    }
}
