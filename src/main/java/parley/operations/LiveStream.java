package parley.operations;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import parley.records.ApiAccess;

/**
 * {@code GET /api/live}: the live feed as server-sent events, one {@code data:} line of JSON per event (see
 * {@link parley.call.LiveEvent}), for as long as the operator watches. Served by the Vert.x router Camel's
 * platform-http runs, on the one port; the same access as the records API. A reader that falls behind by
 * more than Vert.x's write queue is let go (it reconnects, as browsers do), so a slow screen never holds
 * memory or a call.
 */
@Component
public class LiveStream {

    static final String PATH = "/api/live";
    private static final long KEEP_ALIVE_MS = 15_000;
    private static final Logger LOG = LoggerFactory.getLogger(LiveStream.class);

    private final PostgresLiveFeed feed;
    private final ApiAccess access;

    public LiveStream(CamelContext camel, PostgresLiveFeed feed, ApiAccess access,
                      @Value("${server.port:8080}") int port) throws Exception {
        this.feed = feed;
        this.access = access;
        PlatformRouter.whenReady(camel, port, router -> router.route(HttpMethod.GET, PATH).order(-1)
                .handler(this::open));
    }

    /** Checks access off the event loop (a session's check reads the database), then streams. */
    private void open(RoutingContext request) {
        String authorization = request.request().getHeader("Authorization");
        String cookies = request.request().getHeader("Cookie");
        Vertx vertx = request.vertx();
        Context context = vertx.getOrCreateContext();
        vertx.executeBlocking(() -> access.admits(authorization, cookies)).onComplete(admitted -> {
            if (admitted.failed() || !admitted.result()) {
                request.response().setStatusCode(401).putHeader("Content-Type", "application/json")
                        .putHeader("WWW-Authenticate", "Bearer realm=\"parley\"")
                        .end("{\"error\": \"an API token or an operator's session (POST /api/login) is required\"}");
                return;
            }
            stream(request.response(), vertx, context);
        });
    }

    private void stream(HttpServerResponse response, Vertx vertx, Context context) {
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .write(": the calls of every instance, as they happen\n\n");
        AutoCloseable watching = feed.watch(event -> context.runOnContext(nothing -> {
            if (response.ended() || response.closed()) {
                return;
            }
            if (response.writeQueueFull()) {
                LOG.info("A live feed reader fell behind and was let go");
                response.close();
                return;
            }
            response.write("data: " + event + "\n\n");
        }));
        long keepAlive = vertx.setPeriodic(KEEP_ALIVE_MS, timer -> context.runOnContext(nothing -> {
            if (!response.ended() && !response.closed()) {
                response.write(": still here\n\n");
            }
        }));
        response.closeHandler(closed -> {
            vertx.cancelTimer(keepAlive);
            try {
                watching.close();
            } catch (Exception e) {
                LOG.warn("Could not stop watching the live feed: {}", e.toString());
            }
        });
    }
}
