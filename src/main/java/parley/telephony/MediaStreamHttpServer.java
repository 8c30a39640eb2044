package parley.telephony;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;

/**
 * The platform-http router that webhooks and the media socket share, with the socket's handshake check in
 * front of it.
 *
 * <p>This server does not listen itself: the media WebSocket host listens on the same port and serves this
 * same router, with Parley's server options (frame limits). Two listeners on one port would share the socket
 * and split connections between two sets of limits.
 */
public class MediaStreamHttpServer extends VertxPlatformHttpServer {

    private final VertxPlatformHttpServerConfiguration configuration;
    private final Handler<RoutingContext> handshakeGuard;

    public MediaStreamHttpServer(VertxPlatformHttpServerConfiguration configuration,
                                 Handler<RoutingContext> handshakeGuard) {
        super(configuration);
        this.configuration = configuration;
        this.handshakeGuard = handshakeGuard;
    }

    @Override
    protected void initializeServer() {
        super.initializeServer();
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(getCamelContext(),
                VertxPlatformHttpRouter.getRouterNameFromPort(configuration.getBindPort()));
        // Before the upgrade, so a forged handshake gets 403 and never becomes a call.
        router.route(MediaStreamPaths.MEDIA).order(-1).handler(handshakeGuard);
    }

    @Override
    protected void startServer() {
        // The media WebSocket host is the listener; see the class comment.
    }
}
