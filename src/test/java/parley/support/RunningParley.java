package parley.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import parley.Parley;

/**
 * A whole Parley on a free loopback port, as Twilio would reach it. Test classes with the same settings
 * share one instance.
 */
@CamelSpringBootTest
@SpringBootTest(classes = Parley.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
public abstract class RunningParley {

    @Value("${server.port}")
    protected int port;

    @DynamicPropertySource
    static void onAFreePort(DynamicPropertyRegistry registry) {
        int port = freePort();
        registry.add("server.address", () -> "127.0.0.1");
        registry.add("server.port", () -> port);
        registry.add("parley.public-url", () -> "http://127.0.0.1:" + port);
    }

    protected URI mediaUrl() {
        return URI.create("ws://127.0.0.1:" + port + "/twilio/media");
    }

    protected URI httpUrl(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Vert.x cannot share port 0 between its two servers, so a free port is chosen up front. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
