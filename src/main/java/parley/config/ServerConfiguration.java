package parley.config;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import parley.call.CallRegistry;
import parley.telephony.CallStreamComponent;
import parley.telephony.FrameRejections;
import parley.telephony.HandshakeGuard;
import parley.telephony.MediaStreamHttpServer;
import parley.telephony.StreamTickets;
import parley.telephony.TwilioSignatures;

/**
 * One Vert.x, one port: Twilio's webhooks (platform-http) and the Media Streams socket (vertx-websocket)
 * are served by the same listener.
 */
@Configuration(proxyBeanMethods = false)
public class ServerConfiguration {

    /** Inbound frames up to this size reach Parley (and are refused politely if over the media limit). */
    private static final int SOCKET_FRAME_LIMIT = 1 << 20;

    @Bean(destroyMethod = "close")
    Vertx vertx() {
        return Vertx.vertx();
    }

    @Bean
    VertxPlatformHttpServerConfiguration platformHttpServerConfiguration(
            @Value("${server.address:0.0.0.0}") String host, @Value("${server.port:8080}") int port) {
        VertxPlatformHttpServerConfiguration configuration = new VertxPlatformHttpServerConfiguration();
        configuration.setBindHost(host);
        configuration.setBindPort(port);
        return configuration;
    }

    @Bean
    CamelContextConfiguration mediaStreamHttpServer(VertxPlatformHttpServerConfiguration configuration,
                                                    TwilioSignatures signatures, ParleyProperties properties,
                                                    ObjectProvider<CallRegistry> calls) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camelContext) {
                try {
                    camelContext.addService(new MediaStreamHttpServer(configuration,
                            new HandshakeGuard(signatures, properties.mediaStreamUrl().toString(), calls::getObject)));
                } catch (Exception e) {
                    throw new IllegalStateException("Cannot install the HTTP server", e);
                }
            }

            @Override
            public void afterApplicationStart(CamelContext camelContext) {
            }
        };
    }

    @Bean
    StreamTickets streamTickets(ParleyProperties properties, Clock clock) {
        return new StreamTickets(properties.twilio(), clock);
    }

    /** The pool every call's lane runs on. Fixed, so the thread count never grows with the number of calls. */
    @Bean(destroyMethod = "shutdownNow")
    ExecutorService callWorkers(ParleyProperties properties) {
        AtomicInteger count = new AtomicInteger();
        return Executors.newFixedThreadPool(properties.calls().workerThreads(), runnable -> {
            Thread thread = new Thread(runnable, "parley-call-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean("vertx-websocket")
    CallStreamComponent callStreamComponent(ExecutorService callWorkers, ParleyProperties properties,
                                            CallRegistry calls, FrameRejections rejections,
                                            VertxPlatformHttpServerConfiguration http) {
        HttpServerOptions options = new HttpServerOptions()
                .setMaxWebSocketFrameSize(SOCKET_FRAME_LIMIT)
                .setMaxWebSocketMessageSize(SOCKET_FRAME_LIMIT);
        return new CallStreamComponent(http.getBindHost(), http.getBindPort(), callWorkers,
                properties.media().maxQueuedFrames(), properties.media().maxFrameBytes(), options,
                (key, problem, detail) -> rejections.reject(calls.get(key), key, problem, detail));
    }
}
