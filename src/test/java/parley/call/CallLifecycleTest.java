package parley.call;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import parley.support.RunningParley;
import parley.support.TwilioPeer;
import parley.telephony.CallStreamComponent;

import static org.assertj.core.api.Assertions.assertThat;

/** Calls end cleanly and give back everything they held, however many come and go. */
class CallLifecycleTest extends RunningParley {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int CALLS = 200;

    @Autowired
    CallRegistry calls;

    @Autowired
    CallStreamComponent mediaStreams;

    @Test
    void twoHundredCallsInARowLeaveNothingBehind() throws Exception {
        for (int i = 0; i < 20; i++) {
            placeShortCall("CAwarm" + i);
        }
        Footprint before = Footprint.now();

        for (int i = 0; i < CALLS; i++) {
            placeShortCall("CA" + i);
        }
        Awaitility.await().atMost(WAIT).until(() -> calls.size() == 0 && mediaStreams.openLanes() == 0);
        Footprint after = Footprint.now();
        System.out.printf("After %d calls: %s%n           before: %s%n", CALLS, after, before);

        assertThat(after.threads()).as("threads").isLessThanOrEqualTo(before.threads() + 2);
        assertThat(after.sockets()).as("open sockets").isLessThanOrEqualTo(before.sockets() + 2);
        assertThat(after.directBytes() - before.directBytes()).as("native (direct) memory growth")
                .isLessThan(16L << 20);
        assertThat(after.heapBytes() - before.heapBytes()).as("heap growth after GC").isLessThan(16L << 20);
    }

    /** Connects, starts, hears the first of the greeting, says a little, hangs up. */
    private void placeShortCall(String callSid) throws Exception {
        try (TwilioPeer peer = TwilioPeer.connect(mediaUrl(), callSid, Map.of())) {
            peer.connected().start(Map.of("lead", callSid));
            peer.await(TwilioPeer.event("media"), 1, WAIT);
            for (int i = 0; i < 5; i++) {
                peer.media(TwilioPeer.SILENCE_FRAME);
            }
            peer.stop();
            peer.close();
            assertThat(peer.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1000);
        }
    }

    private record Footprint(int threads, long sockets, long directBytes, long heapBytes) {
        static Footprint now() throws IOException, InterruptedException {
            for (int i = 0; i < 3; i++) {
                System.gc();
                TimeUnit.MILLISECONDS.sleep(100);
            }
            long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                    .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
            Runtime runtime = Runtime.getRuntime();
            return new Footprint(ManagementFactory.getThreadMXBean().getThreadCount(), openSockets(), direct,
                    runtime.totalMemory() - runtime.freeMemory());
        }

        private static long openSockets() throws IOException {
            try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
                return fds.filter(fd -> {
                    try {
                        return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                    } catch (IOException e) {
                        return false;
                    }
                }).count();
            }
        }
    }
}
