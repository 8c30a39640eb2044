package parley.operations;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import parley.support.RunningParley;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard is served on the one port, to operators only: anyone else is sent to the login page. */
class DashboardTest extends RunningParley {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theRootLeadsToTheDashboardWhichSendsAnyoneNotLoggedInToTheLoginPage() throws Exception {
        HttpResponse<String> root = get("/");
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).hasValue(Dashboard.PATH);

        HttpResponse<String> page = get(Dashboard.PATH);
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location")).hasValue(Dashboard.LOGIN);
        assertThat(get(Dashboard.PATH + "parley.js").statusCode()).as("nothing of the dashboard").isEqualTo(401);
        assertThat(get(Dashboard.PATH + "index.html").statusCode()).isEqualTo(302);

        HttpResponse<String> login = get(Dashboard.LOGIN);
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(login.body()).contains("id=\"login-form\"").contains("fetch('/api/login'");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(httpUrl(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
