package parley.operations;

import java.util.function.Consumer;

import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * The Vert.x router Camel's platform-http serves on Parley's one port: handlers that are not routes (a stream
 * held open, static files) are mounted on it once Camel has fully started, which is when it exists.
 */
final class PlatformRouter {

    private PlatformRouter() {
    }

    static void whenReady(CamelContext camel, int port, Consumer<VertxPlatformHttpRouter> mount) throws Exception {
        camel.addStartupListener(new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                mount.accept(VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(port)));
            }
        });
    }
}
