package parley.records;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Component;

/**
 * The summaries of the calls that ended most recently on this instance, by CallSid. Only the latest are
 * kept, so a long-running instance does not grow with every call it has ever taken.
 */
@Component
public class CallSummaries {

    static final int KEPT = 1_000;

    private final Map<String, CallSummary> byCallSid = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CallSummary> eldest) {
            return size() > KEPT;
        }
    };

    public synchronized void keep(CallSummary summary) {
        byCallSid.put(summary.callSid(), summary);
    }

    public synchronized Optional<CallSummary> of(String callSid) {
        return Optional.ofNullable(byCallSid.get(callSid));
    }
}
