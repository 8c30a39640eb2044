package parley;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.LoggerFactory;

/**
 * One Kafka node (broker and KRaft controller together) in this JVM, on loopback, its log in a temporary folder
 * removed when it is closed: Kafka's own server, for {@code demo outbound}, which needs a broker and must not
 * need one installed.
 */
final class InProcessKafka implements AutoCloseable {

    private final Path logs;
    private final int port;
    private final KafkaRaftServer server;

    InProcessKafka() {
        // Kafka's server logs its whole configuration, and much more, at INFO: more than a demo's reader wants.
        for (String logger : List.of("kafka", "org.apache.kafka", "state.change.logger")) {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(logger)).setLevel(Level.WARN);
        }
        try {
            this.logs = Files.createTempDirectory("parley-kafka");
            this.port = Demo.freePort();
            int controllerPort = Demo.freePort();
            KafkaConfig config = new KafkaConfig(Map.ofEntries(
                    Map.entry("process.roles", "broker,controller"),
                    Map.entry("node.id", "1"),
                    Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
                    Map.entry("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort),
                    Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port),
                    Map.entry("controller.listener.names", "CONTROLLER"),
                    Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                    Map.entry("log.dirs", logs.toString()),
                    Map.entry("num.partitions", "1"),
                    Map.entry("offsets.topic.replication.factor", "1"),
                    Map.entry("offsets.topic.num.partitions", "1"),
                    Map.entry("transaction.state.log.replication.factor", "1"),
                    Map.entry("transaction.state.log.min.isr", "1"),
                    Map.entry("group.initial.rebalance.delay.ms", "0")));
            new Formatter().setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setClusterId(Uuid.randomUuid().toString())
                    .setNodeId(1)
                    .setDirectories(List.of(logs.toString()))
                    .setMetadataLogDirectory(logs.toString())
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
            this.server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka could not be started in this JVM: " + e.getMessage(), e);
        }
    }

    /** host:port, for {@code bootstrap.servers}. */
    String brokers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        OutboundDemo.wipe(logs);
    }
}
