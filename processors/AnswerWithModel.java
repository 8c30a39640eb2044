package parley.processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.conversation.ModelAnswers;
import parley.conversation.ModelTurn;
import parley.conversation.OfflinePolicy;
import parley.conversation.TurnRecord;
import parley.conversation.TurnRouter;
import parley.hearing.HearingEvent;

/**
 * Answers the caller's turn with a language model (see {@link ModelAnswers}). An answer begun at the caller's
 * pause for exactly these words ({@link AnswerEarly}) is taken over, partly written already; otherwise the
 * model begins now. Its {@code say} is voiced phrase by phrase while the rest is still being written; if the
 * model fails or does not fit the schema, the script's own line stands in. A barge-in cancels the model's
 * answer with the agent's turn.
 */
@Component
public class AnswerWithModel implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(AnswerWithModel.class);

    private final CallRegistry calls;
    private final ModelAnswers answers;

    public AnswerWithModel(CallRegistry calls, ModelAnswers answers) {
        this.calls = calls;
        this.answers = answers;
    }

    @Override
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        String said = exchange.getMessage().getBody(HearingEvent.TurnEnded.class).transcript();
        TurnRouter.Route route = TurnRouter.Route.valueOf(
                exchange.getMessage().getHeader(RouteTurn.ROUTE, String.class).toUpperCase());
        String reason = exchange.getMessage().getHeader(RouteTurn.ROUTE_REASON, String.class);
        OfflinePolicy.Decision offline = exchange.getProperty(RouteTurn.OFFLINE_DECISION, OfflinePolicy.Decision.class);
        String state = call.scriptState();

        ModelTurn early = call.takeEarlyAnswer();
        boolean begunEarly = early != null && early.answers(said, state, route);
        if (early != null && !begunEarly) {
            early.cancel();
        }
        ModelTurn answer = begunEarly ? early : answers.begin(call, said, route, offline);
        int number = call.recordTurn(TurnRecord.modelled(said, route, answer.model(), reason, answer.sources(),
                begunEarly));
        exchange.setProperty(SpeakLine.ANSWERS_TURN, number);
        exchange.setProperty(SpeakLine.MODEL_ANSWER, answer);
        LOG.info("Call {}: \"{}\" in {} -> {} model ({}{}); passages {}", call.callId(), said, state,
                route.name().toLowerCase(), reason, begunEarly ? ", begun at the caller's pause" : "",
                answer.sources());

        long turn = call.agentTurns().begin();
        answer.adopt(turn);
        exchange.getMessage().setBody(answer.reply());
        exchange.getMessage().setHeader(SpeakLine.AGENT_TURN, turn);
    }
}
