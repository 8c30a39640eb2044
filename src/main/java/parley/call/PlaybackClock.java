package parley.call;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * One 20 ms clock paces the agent's audio on every call of this instance: a single timer costs less than a
 * timer per call, and a fault on one call's tick is contained to that call.
 */
@Component
public class PlaybackClock implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(PlaybackClock.class);
    static final long TICK_MS = 20;

    private final CallRegistry calls;
    private ScheduledExecutorService timer;

    public PlaybackClock(CallRegistry calls) {
        this.calls = calls;
    }

    @Override
    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "parley-playback");
            thread.setDaemon(true);
            thread.setPriority(Thread.MAX_PRIORITY);
            return thread;
        });
        timer.scheduleAtFixedRate(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        for (CallSession call : calls.live()) {
            AgentPlayback playback = call.playback();
            if (playback == null || !call.streaming()) {
                continue;
            }
            try {
                playback.tick();
            } catch (RuntimeException e) {
                LOG.error("Playback failed on call {}; other calls are unaffected", call.callId(), e);
            }
        }
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }
}
