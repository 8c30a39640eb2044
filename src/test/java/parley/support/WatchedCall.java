package parley.support;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.springframework.jdbc.core.JdbcTemplate;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.conversation.ConversationHistory;
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

    /** What was said, without when: who spoke, the words (the agent's as far as heard), and whether cut. */
    public List<Spoken> spoken() {
        return history().stream().map(Spoken::of).toList();
    }

    public record Spoken(ConversationHistory.Speaker speaker, String text, boolean interrupted) {
        public static Spoken of(ConversationHistory.Entry entry) {
            return new Spoken(entry.speaker(), entry.text(), entry.interrupted());
        }
    }

    /** The call's summary as its record keeps it, written after the call has ended: it is waited for. */
    public Summary summary(JdbcTemplate database) {
        return summary(database, session.callId());
    }

    public static Summary summary(JdbcTemplate database, String callSid) {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> database.query(
                "SELECT summary_by, summary FROM call_record WHERE call_sid = ?",
                (row, n) -> new Summary(row.getString(1), row.getString(2)), callSid), rows -> !rows.isEmpty()).get(0);
    }

    /** A call's summary and who wrote it: a model's name, or offline. */
    public record Summary(String writer, String text) {
    }
}
