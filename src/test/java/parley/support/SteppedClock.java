package parley.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * One clock for every instance in this JVM that stands still until the test moves it on: instances agree on the
 * time, and a limit per second is seen to hold while the second lasts and to free up when it is over.
 */
public final class SteppedClock extends Clock {

    private static final AtomicReference<Instant> NOW = new AtomicReference<>(RunningParley.NOW);

    private final ZoneId zone;

    public SteppedClock() {
        this(ZoneOffset.UTC);
    }

    private SteppedClock(ZoneId zone) {
        this.zone = zone;
    }

    /** Configures an instance on the stepped clock (see {@link RunningParley#secondInstance(Class, ...)}). */
    @TestConfiguration(proxyBeanMethods = false)
    public static class SteppedDay {
        @Bean
        @Primary
        Clock steppedClock() {
            return new SteppedClock();
        }
    }

    public static void set(Instant now) {
        NOW.set(now);
    }

    public static void step(Duration by) {
        NOW.updateAndGet(now -> now.plus(by));
    }

    @Override
    public Instant instant() {
        return NOW.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId other) {
        return new SteppedClock(other);
    }
}
