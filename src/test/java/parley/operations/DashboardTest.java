package parley.operations;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import parley.support.RunningParley;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's pages are served on the one port, and hold nothing that needs a login. */
class DashboardTest extends RunningParley {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theRootLeadsToTheDashboardWhosePagesAndScriptAreServed() throws Exception {
        HttpResponse<String> root = get("/");
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).hasValue(Dashboard.PATH);

        HttpResponse<String> page = get(Dashboard.PATH);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("<title>Parley</title>").contains("/dashboard/parley.js")
                .contains("id=\"login-form\"");

        HttpResponse<String> script = get(Dashboard.PATH + "parley.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
        assertThat(script.body()).contains("new EventSource('/api/live')");
        assertThat(get(Dashboard.PATH + "nothing-here.js").statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(httpUrl(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
