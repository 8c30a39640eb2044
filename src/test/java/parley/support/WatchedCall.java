package parley.support;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.conversation.ConversationHistory;
import parley.records.CallSummaries;
import parley.records.CallSummary;
import parley.simulator.CallSimulator;
import parley.simulator.SimulatedCall;
import parley.simulator.SimulationResult;

/**
 * A simulated call placed while Parley's session for it is caught, so a test can see what Parley kept of the
 * call (its history, outcome, meeting, summary) once it is over.
 */
public record WatchedCall(SimulationResult result, CallSession session) {

    public static WatchedCall place(CallRegistry calls, SimulatedCall call) throws Exception {
        CompletableFuture<CallSession> caught = new CompletableFuture<>();
        Thread watcher = new Thread(() -> {
            while (!caught.isDone()) {
                CallSession session = calls.byCallSid(call.callSid());
                if (session != null) {
                    caught.complete(session);
                    return;
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        watcher.setDaemon(true);
        watcher.start();
        SimulationResult result;
        try (CallSimulator simulator = new CallSimulator()) {
            result = simulator.run(call);
        } finally {
            watcher.interrupt();
        }
        return new WatchedCall(result, caught.getNow(null));
    }

    public List<ConversationHistory.Entry> history() {
        return session.history().entries();
    }

    /** The call's summary, written after the call has ended: it is waited for. */
    public CallSummary summary(CallSummaries summaries) {
        return Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> summaries.of(session.callId()), Optional::isPresent).orElseThrow();
    }
}
