package parley.telephony;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

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

    /** Told of a frame refused before it was queued: the connection key, why, and the detail to log. */
    public interface RefusedFrames {
        void refused(String connectionKey, FrameProblem problem, String detail);
    }

    private final Executor workers;
    private final int laneCapacity;
    private final int maxFrameBytes;
    private final HttpServerOptions serverOptions;
    private final RefusedFrames refusedFrames;
    private final Map<String, SerialLane> lanes = new ConcurrentHashMap<>();
    private final String host;
    private final int port;

    /**
     * @param laneCapacity frames one call may have waiting; beyond it a frame is refused as a flood
     * @param maxFrameBytes a larger text frame is refused as oversize before it is queued
     */
    public CallStreamComponent(String host, int port, Executor workers, int laneCapacity, int maxFrameBytes,
                               HttpServerOptions serverOptions, RefusedFrames refusedFrames) {
        this.host = host;
        this.port = port;
        this.workers = workers;
        this.laneCapacity = laneCapacity;
        this.maxFrameBytes = maxFrameBytes;
        this.serverOptions = serverOptions;
        this.refusedFrames = refusedFrames;
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

    RefusedFrames refusedFrames() {
        return refusedFrames;
    }

    int maxFrameBytes() {
        return maxFrameBytes;
    }

    @Override
    protected VertxWebsocketEndpoint createEndpointInstance(String uri, VertxWebsocketConfiguration configuration) {
        configuration.setServerOptions(serverOptions);
        return new CallStreamEndpoint(uri, this, configuration);
    }
}
