package parley.telephony;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import parley.call.CallRegistry;
import parley.support.RunningParley;
import parley.support.TwilioPeer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An instance at its limit of live calls answers busy and refuses further media sockets at the handshake. */
@TestPropertySource(properties = "parley.calls.max-live=1")
class CallLimitTest extends RunningParley {

    @Autowired
    CallRegistry calls;

    @Test
    void aFullInstanceRefusesNewCallsAndKeepsTheOneItHas() throws Exception {
        try (TwilioPeer first = TwilioPeer.connect(mediaUrl(), "CAfirst", Map.of())) {
            first.connected().start(Map.of());
            first.await(TwilioPeer.event("media"), 1, Duration.ofSeconds(10));

            assertThatThrownBy(() -> TwilioPeer.connect(mediaUrl(), "CAsecond", Map.of()))
                    .isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(WebSocketHandshakeException.class)
                    .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode())
                            .isEqualTo(503));
            HttpResponse<String> answer = TwilioPeer.HTTP.send(HttpRequest.newBuilder(httpUrl("/twilio/voice"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("CallSid=CAthird&From=%2B15550100")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.body()).contains("<Reject reason=\"busy\"/>").doesNotContain("<Stream");

            int marks = first.matching(TwilioPeer.event("mark")).size();
            first.echoMarks();
            first.await(TwilioPeer.event("mark"), marks + 1, Duration.ofSeconds(10));
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> calls.size() == 0);
        try (TwilioPeer next = TwilioPeer.connect(mediaUrl(), "CAnext", Map.of())) {
            next.connected().start(Map.of());
            next.await(TwilioPeer.event("media"), 1, Duration.ofSeconds(10));
        }
    }
}
