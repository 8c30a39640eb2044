package parley.processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.conversation.CallerCalendars;
import parley.conversation.OfflinePolicy;
import parley.conversation.SalesScript;
import parley.conversation.TurnRouter;
import parley.hearing.HearingEvent;

/**
 * The caller ended their turn: decides who answers it (the script, the fast model or the strong model) and
 * why, in the {@code turnRoute} header; the offline policy's reading of the turn travels with it.
 */
@Component
public class RouteTurn implements Processor {

    public static final String ROUTE = "turnRoute";
    public static final String ROUTE_REASON = "turnRouteReason";
    public static final String OFFLINE_DECISION = "offlineDecision";

    private final CallRegistry calls;
    private final OfflinePolicy policy;
    private final TurnRouter router;
    private final CallerCalendars calendars;
    private final SalesScript script;

    public RouteTurn(CallRegistry calls, OfflinePolicy policy, TurnRouter router, CallerCalendars calendars,
                     SalesScript script) {
        this.calls = calls;
        this.script = script;
        this.policy = policy;
        this.router = router;
        this.calendars = calendars;
    }

    @Override
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        if (call == null || call.scriptState() == null || call.ending()) {
            exchange.setRouteStop(true);
            return;
        }
        String said = exchange.getMessage().getBody(HearingEvent.TurnEnded.class).transcript();
        OfflinePolicy.Decision offline = policy.decide(call.scriptState(), said, call.slots(),
                calendars.forCall(call.parameters()));
        TurnRouter.Decision decision = router.route(said, offline, script.notUnderstood().asksAgain(call.stayed()));
        exchange.setProperty(OFFLINE_DECISION, offline);
        exchange.getMessage().setHeader(ROUTE, decision.route().name().toLowerCase());
        exchange.getMessage().setHeader(ROUTE_REASON, decision.reason());
    }
}
