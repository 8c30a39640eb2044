package parley.processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.conversation.CallerCalendars;
import parley.conversation.ModelAnswers;
import parley.conversation.ModelTurn;
import parley.conversation.OfflinePolicy;
import parley.conversation.SalesScript;
import parley.conversation.TurnRouter;
import parley.hearing.TurnDetector;
import parley.llm.ModelChats;

/**
 * The caller has paused with a turn pending and the recognizer's words reach the pause: if a model would
 * answer them, it begins now, while the end of the turn is still being judged (the turn model's second
 * hearing, or a wait for a sentence it hears unfinished). When the turn ends with the same words, its answer
 * is partly written already; when the caller goes on, or the words change, it is cancelled unheard. Interim
 * words are not enough: they change too often to be worth a model's request.
 */
@Component
public class AnswerEarly implements Processor {

    private final CallRegistry calls;
    private final OfflinePolicy policy;
    private final TurnRouter router;
    private final CallerCalendars calendars;
    private final ModelAnswers answers;
    private final ModelChats models;
    private final SalesScript script;

    public AnswerEarly(CallRegistry calls, OfflinePolicy policy, TurnRouter router, CallerCalendars calendars,
                       ModelAnswers answers, ModelChats models, SalesScript script) {
        this.calls = calls;
        this.script = script;
        this.policy = policy;
        this.router = router;
        this.calendars = calendars;
        this.answers = answers;
        this.models = models;
    }

    @Override
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        // With no model configured every turn is the script's: nothing to begin, and no reason to judge the
        // words twice (the turn's own routing does that once it ends).
        if (!models.configured() || call == null || call.hearing() == null || call.scriptState() == null
                || call.ending()) {
            return;
        }
        TurnDetector turns = call.hearing().turns();
        String soFar = turns.wordsReachPause() ? turns.turnSoFar() : null;
        ModelTurn early = call.earlyAnswer();
        if (soFar == null || soFar.isBlank() || early != null && early.said().equals(soFar)) {
            return;
        }
        OfflinePolicy.Decision offline = policy.decide(call.scriptState(), soFar, call.slots(),
                calendars.forCall(call.parameters()));
        TurnRouter.Route route = router.route(soFar, offline, script.notUnderstood().asksAgain(call.stayed())).route();
        call.earlyAnswer(route == TurnRouter.Route.SCRIPTED ? null : answers.begin(call, soFar, route, offline));
    }
}
