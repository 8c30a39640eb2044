package parley.processors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.config.ParleyProperties;
import parley.conversation.AgentReply;
import parley.conversation.ConversationHistory;
import parley.conversation.OfflinePolicy;
import parley.conversation.SalesScript;
import parley.conversation.ScriptMoves;
import parley.conversation.TurnRecord;
import parley.conversation.TurnRouter;
import parley.hearing.HearingEvent;
import parley.knowledge.KnowledgeBase;
import parley.knowledge.KnowledgeUnavailableException;
import parley.knowledge.Retrieved;
import parley.llm.Answer;
import parley.llm.AnswerSchema;
import parley.llm.ModelChats;
import parley.llm.SchemaCheckedChat;
import parley.llm.SlotType;

/**
 * Answers the caller's turn with a language model that may only answer in the schema the script's current
 * state allows (next state, typed slots, the words to say). Its {@code say} is voiced phrase by phrase while the
 * rest of the answer is still being written; passages retrieved for what the caller said go into the prompt
 * with their sources. If the model fails or does not fit the schema, the script's own line stands in. A
 * barge-in cancels the model's answer with the agent's turn.
 */
@Component
public class AnswerWithModel implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(AnswerWithModel.class);

    private final CallRegistry calls;
    private final SalesScript script;
    private final ModelChats models;
    private final KnowledgeBase knowledge;
    private final int passages;

    public AnswerWithModel(CallRegistry calls, SalesScript script, ModelChats models, KnowledgeBase knowledge,
                           ParleyProperties properties) {
        this.calls = calls;
        this.script = script;
        this.models = models;
        this.knowledge = knowledge;
        this.passages = properties.conversation().passages();
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

        List<Retrieved> found = retrieve(said);
        List<String> sources = found.stream().map(r -> r.passage().source()).toList();
        int number = call.recordTurn(new TurnRecord(said, route, reason, sources));
        exchange.setProperty(SpeakLine.ANSWERS_TURN, number);
        LOG.info("Call {}: \"{}\" in {} -> {} model ({}); passages {}", call.callId(), said, state,
                route.name().toLowerCase(), reason, sources);

        AgentReply reply = new AgentReply();
        long turn = call.agentTurns().begin();
        SchemaCheckedChat.Turn answering = models.forRoute(route).answer(messages(call, state, found),
                schema(state), new SchemaCheckedChat.Listener() {
                    public void onSay(String text) {
                        reply.append(text);
                    }

                    public void onAnswer(Answer answer) {
                        call.lane().force(() -> {
                            if (call.agentTurns().isCurrent(turn)) {
                                ScriptMoves.advance(call, script, answer.nextState(), answer.slots());
                            }
                        });
                        reply.finish();
                    }

                    public void onFallback(String problem) {
                        LOG.warn("Call {}: the model's answer is not used ({}); the script answers", call.callId(),
                                problem);
                        call.lane().force(() -> {
                            // A turn cut off or superseded meanwhile must not move the script on.
                            if (call.agentTurns().isCurrent(turn)) {
                                String line = ScriptMoves.advance(call, script, offline.state(), offline.slots());
                                if (reply.text().isEmpty()) {
                                    reply.append(line);
                                }
                            }
                            reply.finish();
                        });
                    }
                });
        call.agentTurns().onCancel(turn, answering::cancel);
        exchange.getMessage().setBody(reply);
        exchange.getMessage().setHeader(SpeakLine.AGENT_TURN, turn);
    }

    private List<Retrieved> retrieve(String said) {
        try {
            return said.isBlank() ? List.of() : knowledge.search(said, passages);
        } catch (KnowledgeUnavailableException e) {
            LOG.warn("Knowledge is unavailable; answering without it: {}", e.getMessage());
            return List.of();
        }
    }

    private AnswerSchema schema(String state) {
        List<String> nextStates = new ArrayList<>();
        nextStates.add(state);
        script.transitionsFrom(state).forEach(t -> {
            if (!nextStates.contains(t.to())) {
                nextStates.add(t.to());
            }
        });
        Map<String, SlotType> slots = new LinkedHashMap<>();
        script.states().get(state).slots().forEach((name, slot) -> slots.put(name, switch (slot.type()) {
            case NAME -> new SlotType.Name(slot.required());
            case EMAIL -> new SlotType.Email(slot.required());
            case PHONE -> new SlotType.Phone(slot.required());
            case DATETIME -> new SlotType.DateTime(slot.required());
            case ENUM -> new SlotType.Choice(slot.values(), slot.required());
            case TEXT -> new SlotType.Text(slot.required());
        }));
        return new AnswerSchema(nextStates, slots);
    }

    private List<ChatMessage> messages(CallSession call, String state, List<Retrieved> found) {
        SalesScript.State current = script.states().get(state);
        StringBuilder prompt = new StringBuilder()
                .append("You are the agent on a phone sales call: ").append(script.name()).append(".\n")
                .append("Speak naturally and briefly: one or two short sentences, plain spoken English.\n")
                .append("Current step: ").append(state).append(" - ").append(current.goal()).append('\n')
                .append("Where the call may go next (stay in ").append(state).append(" if none fits):\n");
        script.transitionsFrom(state).forEach(t -> prompt.append("- ").append(t.to()).append(": ").append(t.when())
                .append('\n'));
        if (!found.isEmpty()) {
            prompt.append("Facts you may use (do not read out the sources):\n");
            found.forEach(r -> prompt.append("[").append(r.passage().source()).append("] ")
                    .append(r.passage().text()).append('\n'));
        }
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(SystemMessage.from(prompt.toString()));
        for (ConversationHistory.Entry entry : call.history().entries()) {
            messages.add(entry.speaker() == ConversationHistory.Speaker.AGENT
                    ? AiMessage.from(entry.text()) : UserMessage.from(entry.text()));
        }
        return messages;
    }
}
