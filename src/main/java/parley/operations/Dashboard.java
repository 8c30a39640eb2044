package parley.operations;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.handler.StaticHandler;
import org.apache.camel.CamelContext;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The operators' dashboard: static pages and a little JavaScript from the jar's {@code dashboard/} folder,
 * served at {@code /dashboard/} by the Vert.x router on the one port ({@code /} leads there). The pages hold
 * nothing; what they show comes from the API behind the login ({@code /api/calls}, {@code /api/live}).
 */
@Component
public class Dashboard {

    static final String PATH = "/dashboard/";

    public Dashboard(CamelContext camel, @Value("${server.port:8080}") int port) throws Exception {
        PlatformRouter.whenReady(camel, port, router -> {
            router.route(HttpMethod.GET, "/").order(-1).handler(request -> request.redirect(PATH));
            router.route(HttpMethod.GET, PATH + "*").order(-1).handler(StaticHandler.create("dashboard"));
        });
    }
}
