package parley.operations;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import parley.call.LiveEvent;
import parley.call.LiveFeed;
import parley.config.ParleyProperties;

/**
 * The live feed through PostgreSQL, which every instance shares: each event is sent with {@code NOTIFY} on
 * {@code parley_live}, and each instance {@code LISTEN}s and hands what comes to its watchers, so an operator
 * sees the calls of every instance, whichever one served the page.
 *
 * <p>Calls never wait for it: events go into a bounded outbox ({@value #OUTBOX} events) that one thread sends
 * in batches; when it is full (the database is slow or gone) new events are dropped and counted
 * ({@code parley.live.dropped}). Two connections are held: one sends, one listens.
 */
@Component
public class PostgresLiveFeed implements LiveFeed, DisposableBean {

    static final String CHANNEL = "parley_live";
    private static final int OUTBOX = 10_000;
    private static final int BATCH = 100;
    /** PostgreSQL refuses a notification's payload from 8,000 bytes. */
    private static final int MAX_PAYLOAD = 7_900;
    private static final long RETRY_MS = 1_000;
    private static final long MAX_RETRY_MS = 30_000;
    private static final Duration FORGOTTEN = Duration.ofDays(1);
    private static final Logger LOG = LoggerFactory.getLogger(PostgresLiveFeed.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource database;
    private final Clock clock;
    private final JdbcTemplate reader;
    private final String instance;
    private final BlockingQueue<Outgoing> outbox = new ArrayBlockingQueue<>(OUTBOX);
    private final List<Consumer<String>> watchers = new CopyOnWriteArrayList<>();
    private final Counter dropped;
    private final Thread sender;
    private final Thread listener;
    private volatile boolean running = true;

    public PostgresLiveFeed(DataSource database, JdbcTemplate reader, ParleyProperties properties,
                            MeterRegistry meters, Clock clock) {
        this.reader = reader;
        this.clock = clock;
        this.database = database;
        this.instance = properties.outbound().instanceName();
        this.dropped = Counter.builder("parley.live.dropped")
                .description("Live events not sent: the feed's outbox was full, or the event too large").register(meters);
        this.sender = daemon("parley-live-sender", this::send);
        this.listener = daemon("parley-live-listener", this::listen);
    }

    private static Thread daemon(String name, Runnable loop) {
        Thread thread = new Thread(loop, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** An event on its way: its JSON, and what it does to its call's row in {@code live_call}. */
    private record Outgoing(String callSid, boolean starts, boolean ends, String json) {
    }

    @Override
    public void publish(LiveEvent event) {
        String json;
        try {
            ObjectNode message = JSON.valueToTree(event);
            message.put("instance", instance);
            json = JSON.writeValueAsString(message);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalStateException("a live event is plain data", e);
        }
        Outgoing outgoing = new Outgoing(event.callSid(), event instanceof LiveEvent.Started,
                event instanceof LiveEvent.Ended, json);
        if (json.length() > MAX_PAYLOAD || !outbox.offer(outgoing)) {
            dropped.increment();
        }
    }

    /** Hands {@code watcher} every event of every instance from now on, on the feed's own thread. */
    public AutoCloseable watch(Consumer<String> watcher) {
        watchers.add(watcher);
        return () -> watchers.remove(watcher);
    }

    /**
     * Sends the outbox in batches on one connection of its own, opened again after a failure: each batch keeps
     * the calls' rows in {@code live_call} and notifies every instance, in one transaction.
     */
    private void send() {
        List<Outgoing> batch = new ArrayList<>(BATCH);
        Connection connection = null;
        boolean failing = false;
        while (running) {
            try {
                Outgoing first = outbox.poll(500, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                outbox.drainTo(batch, BATCH - 1);
                if (connection == null) {
                    connection = database.getConnection();
                    connection.setAutoCommit(false);
                }
                send(connection, batch);
                if (failing) {
                    LOG.info("Live events are sent again");
                    failing = false;
                }
            } catch (InterruptedException e) {
                break;
            } catch (SQLException e) {
                dropped.increment(batch.size());
                if (!failing) {
                    LOG.warn("Live events are not sent, and are counted in parley.live.dropped: {}", e.getMessage());
                    failing = true;
                }
                connection = closed(connection);
                pause(RETRY_MS);
            } finally {
                batch.clear();
            }
        }
        closed(connection);
    }

    private void send(Connection connection, List<Outgoing> batch) throws SQLException {
        Timestamp now = Timestamp.from(clock.instant());
        try (PreparedStatement start = connection.prepareStatement("INSERT INTO live_call (call_sid, instance, events,"
                + " updated_at) VALUES (?, ?, jsonb_build_array(?::jsonb), ?) ON CONFLICT (call_sid) DO NOTHING");
             PreparedStatement add = connection.prepareStatement("UPDATE live_call SET events = events ||"
                     + " jsonb_build_array(?::jsonb), updated_at = ? WHERE call_sid = ?");
             PreparedStatement end = connection.prepareStatement("DELETE FROM live_call WHERE call_sid = ?");
             PreparedStatement notify = connection.prepareStatement(
                     "SELECT pg_notify('" + CHANNEL + "', payload) FROM unnest(?) AS payload")) {
            for (Outgoing event : batch) {
                if (event.starts()) {
                    start.setString(1, event.callSid());
                    start.setString(2, instance);
                    start.setString(3, event.json());
                    start.setTimestamp(4, now);
                    start.addBatch();
                } else if (event.ends()) {
                    end.setString(1, event.callSid());
                    end.addBatch();
                } else {
                    add.setString(1, event.json());
                    add.setTimestamp(2, now);
                    add.setString(3, event.callSid());
                    add.addBatch();
                }
            }
            // In the order calls live: a call's start before its lines, its lines before its end.
            start.executeBatch();
            add.executeBatch();
            end.executeBatch();
            notify.setArray(1, connection.createArrayOf("text", batch.stream().map(Outgoing::json).toArray()));
            notify.executeQuery().close();
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        }
    }

    /**
     * Every call under way on any instance, each as the events told of it so far, the least recently heard
     * of first; calls
     * whose instance stopped without ending them are let go after a day without events.
     */
    public List<String> callsUnderWay() {
        reader.update("DELETE FROM live_call WHERE updated_at < ?", Timestamp.from(clock.instant().minus(FORGOTTEN)));
        return reader.queryForList("SELECT e.event::text FROM live_call c, jsonb_array_elements(c.events)"
                + " WITH ORDINALITY AS e(event, n) ORDER BY c.updated_at, c.call_sid, e.n", String.class);
    }

    private static Connection closed(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // It is being let go because it failed.
            }
        }
        return null;
    }

    /** Listens on a connection of its own; when the database is gone, tries again ever less often (up to 30 s). */
    private void listen() {
        int failures = 0;
        while (running) {
            try (Connection connection = database.getConnection()) {
                try (Statement listen = connection.createStatement()) {
                    listen.execute("LISTEN " + CHANNEL);
                }
                if (failures > 0) {
                    LOG.info("The live feed is listening again");
                    failures = 0;
                }
                PGConnection postgres = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] arrived = postgres.getNotifications(500);
                    if (arrived != null) {
                        for (PGNotification notification : arrived) {
                            hand(notification.getParameter());
                        }
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    if (failures == 0) {
                        LOG.warn("The live feed stopped listening ({}); trying again", e.getMessage());
                    }
                    pause(Math.min(MAX_RETRY_MS, RETRY_MS << Math.min(failures, 5)));
                    failures++;
                }
            }
        }
    }

    private void hand(String event) {
        for (Consumer<String> watcher : watchers) {
            try {
                watcher.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("A live feed watcher failed: {}", e.toString());
            }
        }
    }

    private void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        running = false;
        sender.interrupt();
        sender.join(2_000);
        listener.join(2_000);
    }
}
