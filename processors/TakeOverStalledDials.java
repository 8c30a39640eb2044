package parley.processors;

import java.time.Duration;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import parley.outbound.DialQueue;
import parley.outbound.Dialer;

/**
 * Finishes attempts left in dialing. For each one whose claimer stopped before it stored a call, asks the
 * dialer whether the call was placed all the same: if it was, the attempt is that call's (its status, perhaps
 * already come, is applied); if not, it goes back to be dialed now. So a call is neither placed twice nor lost.
 * For each call whose end was never heard, asks how it ended, and ends its attempt so.
 */
@Component
public class TakeOverStalledDials implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(TakeOverStalledDials.class);
    /** Twilio's clock and Parley's may disagree by this much. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    private final DialQueue queue;
    private final Dialer dialer;

    public TakeOverStalledDials(DialQueue queue, Dialer dialer) {
        this.queue = queue;
        this.dialer = dialer;
    }

    @Override
    public void process(Exchange exchange) {
        for (DialQueue.Stalled stalled : queue.takeOverStalled()) {
            DialQueue.Claimed dial = stalled.dial();
            Optional<String> placed;
            try {
                placed = dialer.placedSince(dial.phone(), stalled.firstDialedAt().minus(CLOCK_SKEW));
            } catch (RuntimeException e) {
                // Left claimed: the next instance to find it stalled asks again.
                LOG.warn("Dial attempt {} was left mid-dial, and whether it was placed cannot be known now: {}",
                        dial.attemptId(), e.toString());
                continue;
            }
            if (placed.isPresent()) {
                LOG.info("Dial attempt {} was left mid-dial; its call {} had been placed", dial.attemptId(), placed.get());
                queue.placed(dial.attemptId(), placed.get());
            } else {
                LOG.info("Dial attempt {} was left mid-dial before its call was placed: it is dialed again",
                        dial.attemptId());
                queue.putOff(dial.attemptId(), Duration.ZERO, "left mid-dial by an instance that stopped");
            }
        }
        for (String callSid : queue.takeOverUnheard()) {
            try {
                dialer.endedWith(callSid).ifPresent(status -> {
                    LOG.info("Call {} ended {}, and its status callback never came", callSid, status);
                    queue.callEnded(callSid, status);
                });
            } catch (RuntimeException e) {
                LOG.warn("Call {}: how it ended cannot be known now: {}", callSid, e.toString());
            }
        }
    }
}
