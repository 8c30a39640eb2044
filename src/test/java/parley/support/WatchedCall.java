package parley.support;

import java.util.List;
import java.util.concurrent.TimeUnit;

import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.conversation.ConversationHistory;
import parley.simulator.CallSimulator;
import parley.simulator.SimulatedCall;
import parley.simulator.SimulationResult;

/** A simulated call placed while its session is watched, so a test can see the history Parley kept. */
public record WatchedCall(SimulationResult result, List<ConversationHistory.Entry> history) {

    public static WatchedCall place(CallRegistry calls, SimulatedCall call) throws Exception {
        String callSid = call.callSid();
        List<List<ConversationHistory.Entry>> last = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread watcher = new Thread(() -> {
            boolean seen = false;
            while (!Thread.currentThread().isInterrupted()) {
                CallSession session = calls.byCallSid(callSid);
                if (session != null) {
                    seen = true;
                    last.add(0, session.history().entries());
                } else if (seen) {
                    return;
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(20);
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
        }
        watcher.join(5_000);
        watcher.interrupt();
        return new WatchedCall(result, last.isEmpty() ? List.of() : last.get(0));
    }
}
