package parley.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import parley.Parley;

/**
 * A whole Parley on a free loopback port, as Twilio would reach it. Test classes with the same settings
 * share one instance.
 */
@CamelSpringBootTest
@SpringBootTest(classes = Parley.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
@Import(RunningParley.FixedDay.class)
public abstract class RunningParley {

    /** Every whole-call test speaks on the same day: Wednesday 25 November 2026, 10:00 in New York. */
    public static final Instant NOW = Instant.parse("2026-11-25T15:00:00Z");
    public static final String CALLER_ZONE = "America/New_York";

    @TestConfiguration(proxyBeanMethods = false)
    static class FixedDay {
        @Bean
        @Primary
        Clock fixedClock() {
            return Clock.fixed(NOW, ZoneOffset.UTC);
        }
    }

    @Value("${server.port}")
    protected int port;

    @DynamicPropertySource
    static void onAFreePort(DynamicPropertyRegistry registry) {
        int port = freePort();
        registry.add("server.address", () -> "127.0.0.1");
        registry.add("server.port", () -> port);
        registry.add("parley.public-url", () -> "http://127.0.0.1:" + port);
        registry.add("parley.conversation.time-zone", () -> CALLER_ZONE);
        registry.add("parley.stt.sandbox.enabled", () -> "true");
        // Each instance its own embedded PostgreSQL: two servers cannot share a data folder.
        String records = freshFolder("parley-records").toString();
        registry.add("parley.records.database-folder", () -> records);
        String journal = freshFolder("parley-journal").toString();
        registry.add("parley.records.journal-folder", () -> journal);
        String recordings = freshFolder("parley-recordings").toString();
        registry.add("parley.records.recording-folder", () -> recordings);
    }

    /**
     * A second Parley in this JVM, on a free port and on {@code database}, as another instance behind the same
     * Twilio number; {@code settings} are added to its command line. It keeps the same fixed day as the first:
     * two instances on two clocks would disagree about calling hours.
     */
    public static ConfigurableApplicationContext secondInstance(EmbeddedPostgres database, String... settings) {
        return secondInstance(FixedDay.class, database, settings);
    }

    /** As {@link #secondInstance(EmbeddedPostgres, String...)}, on the clock {@code day} configures. */
    public static ConfigurableApplicationContext secondInstance(Class<?> day, EmbeddedPostgres database,
                                                                String... settings) {
        int port = freePort();
        List<String> args = new ArrayList<>(List.of("--spring.main.banner-mode=off", "--logging.level.root=WARN",
                "--server.address=127.0.0.1", "--server.port=" + port,
                "--parley.public-url=http://127.0.0.1:" + port, "--parley.stt.sandbox.enabled=true",
                "--spring.datasource.url=jdbc:postgresql://localhost:" + database.getPort() + "/postgres",
                "--spring.datasource.username=postgres",
                "--parley.records.journal-folder=" + freshFolder("parley-journal")));
        args.addAll(List.of(settings));
        return new SpringApplicationBuilder(Parley.class, day).run(args.toArray(String[]::new));
    }

    public static java.nio.file.Path freshFolder(String prefix) {
        try {
            return java.nio.file.Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected URI mediaUrl() {
        return URI.create("ws://127.0.0.1:" + port + "/twilio/media");
    }

    protected URI httpUrl(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /**
     * The next port this JVM tries: each JVM starts at its own random place in 20000-31999 and goes up from there, so
     * two test JVMs walk apart.
     */
    private static final java.util.concurrent.atomic.AtomicInteger NEXT_PORT = new java.util.concurrent.atomic.AtomicInteger(
            20_000 + new java.util.Random().nextInt(11_000));

    /**
     * Vert.x cannot share port 0 between its two servers, so a free port is chosen up front. It is chosen below the
     * range the system hands out for port 0 and for outgoing connections (32768 and up on Linux): a Parley binds its
     * port only at the end of its start, and in those seconds a client socket or an embedded PostgreSQL of this or the
     * other test JVM could be given an ephemeral port. Within a JVM ports are taken in turn, so two tests never pick
     * the same one.
     */
    public static int freePort() {
        for (int tries = 0; tries < 1_000; tries++) {
            int candidate = NEXT_PORT.getAndIncrement();
            try (ServerSocket socket = new ServerSocket(candidate, 50, java.net.InetAddress.getLoopbackAddress())) {
                return candidate;
            } catch (IOException taken) {
                // in use by something else: the next one
            }
        }
        throw new IllegalStateException("no free port from " + (NEXT_PORT.get() - 1_000));
    }
}
