package parley.operations;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

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
    /** Events held while the calls under way are read; a reader whose read takes so long misses the rest. */
    private static final int MAX_EARLY = 1_000;
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

    /**
     * Checks access and reads the calls under way off the event loop (both read the database), then streams:
     * first every call under way as its events so far, then each event as it comes. Events that come while the
     * calls are read wait and follow them; one told in both may be shown twice, and the page keeps it once.
     */
    private void open(RoutingContext request) {
        String authorization = request.request().getHeader("Authorization");
        String cookies = request.request().getHeader("Cookie");
        Vertx vertx = request.vertx();
        Context context = vertx.getOrCreateContext();
        List<String> early = new ArrayList<>();
        AtomicReference<HttpServerResponse> streaming = new AtomicReference<>();
        AutoCloseable watching = feed.watch(event -> context.runOnContext(nothing -> {
            HttpServerResponse response = streaming.get();
            if (response == null) {
                if (early.size() < MAX_EARLY) {
                    early.add(event);
                }
            } else {
                send(response, event);
            }
        }));
        request.response().closeHandler(closed -> close(watching));
        vertx.executeBlocking(() -> access.admits(authorization, cookies) ? feed.callsUnderWay() : null)
                .onComplete(underWay -> {
                    if (request.response().closed()) {
                        return;
                    }
                    if (underWay.failed() || underWay.result() == null) {
                        close(watching);
                        request.response().setStatusCode(underWay.failed() ? 503 : 401)
                                .putHeader("Content-Type", "application/json")
                                .putHeader("WWW-Authenticate", "Bearer realm=\"parley\"")
                                .end(underWay.failed() ? "{\"error\": \"the calls under way could not be read\"}"
                                        : "{\"error\": \"an API token or an operator's session (POST /api/login) is"
                                        + " required\"}");
                        return;
                    }
                    HttpServerResponse response = request.response();
                    stream(response, vertx, context, watching);
                    underWay.result().forEach(event -> send(response, event));
                    early.forEach(event -> send(response, event));
                    streaming.set(response);
                });
    }

    private void stream(HttpServerResponse response, Vertx vertx, Context context, AutoCloseable watching) {
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .write(": the calls of every instance, as they happen\n\n");
        long keepAlive = vertx.setPeriodic(KEEP_ALIVE_MS, timer -> context.runOnContext(nothing -> {
            if (!response.ended() && !response.closed()) {
                response.write(": still here\n\n");
            }
        }));
        response.closeHandler(closed -> {
            vertx.cancelTimer(keepAlive);
            close(watching);
        });
    }

    private static void send(HttpServerResponse response, String event) {
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.writeQueueFull()) {
            LOG.info("A live feed reader fell behind and was let go");
            response.close();
            return;
        }
        response.write("data: " + event + "\n\n");
    }

    private static void close(AutoCloseable watching) {
        try {
            watching.close();
        } catch (Exception e) {
            LOG.warn("Could not stop watching the live feed: {}", e.toString());
        }
    }
}
