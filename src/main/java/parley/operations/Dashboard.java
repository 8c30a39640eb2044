package parley.operations;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import org.apache.camel.CamelContext;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import parley.records.ApiAccess;

/**
 * The operators' dashboard: static pages and a little JavaScript from the jar, served by the Vert.x router on
 * the one port. {@code /login/} is the one page anyone may read; {@code /dashboard/} is served only to a
 * request {@link ApiAccess} admits (a page is sent to the login, anything else is answered 401), and {@code /}
 * leads there. What the pages show comes from the API, behind the same access.
 */
@Component
public class Dashboard {

    static final String PATH = "/dashboard/";
    static final String LOGIN = "/login/";

    private final ApiAccess access;

    public Dashboard(CamelContext camel, ApiAccess access, @Value("${server.port:8080}") int port) throws Exception {
        this.access = access;
        PlatformRouter.whenReady(camel, port, router -> {
            router.route(HttpMethod.GET, "/").order(-1).handler(request -> request.redirect(PATH));
            router.route(HttpMethod.GET, LOGIN + "*").order(-1).handler(StaticHandler.create("login"));
            router.route(HttpMethod.GET, PATH + "*").order(-1).handler(this::admit)
                    .handler(StaticHandler.create("dashboard").setCachingEnabled(false));
        });
    }

    /** Lets an operator through; checked off the event loop, as a session's check reads the database. */
    private void admit(RoutingContext request) {
        String authorization = request.request().getHeader("Authorization");
        String cookies = request.request().getHeader("Cookie");
        request.vertx().executeBlocking(() -> access.admits(authorization, cookies)).onComplete(admitted -> {
            if (request.response().closed()) {
                return;
            }
            if (admitted.succeeded() && admitted.result()) {
                // Kept by no cache: after logging out, the browser has nothing of the dashboard to show.
                request.response().putHeader("Cache-Control", "no-store");
                request.next();
            } else if (request.normalizedPath().equals(PATH) || request.normalizedPath().endsWith(".html")) {
                request.redirect(LOGIN);
            } else {
                request.response().setStatusCode(401).end();
            }
        });
    }
}
