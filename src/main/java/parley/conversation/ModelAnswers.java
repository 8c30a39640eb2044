package parley.conversation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import parley.call.CallSession;
import parley.config.ParleyProperties;
import parley.knowledge.KnowledgeBase;
import parley.knowledge.KnowledgeUnavailableException;
import parley.knowledge.Retrieved;
import parley.llm.AnswerSchema;
import parley.llm.ModelChats;
import parley.llm.SchemaCheckedChat;
import parley.llm.SlotType;

/**
 * Begins a language model's answer to a caller's words: the passages retrieved for them go into the prompt
 * with their sources, and the model may only answer in the schema the script's current step allows (next
 * step, typed slots, the words to say).
 */
@Component
public class ModelAnswers {

    /** The conversation a prompt carries at most: a long call's oldest lines matter less than the model's speed. */
    private static final int PROMPT_ENTRIES = 200;

    private static final Logger LOG = LoggerFactory.getLogger(ModelAnswers.class);

    private final SalesScript script;
    private final ModelChats models;
    private final KnowledgeBase knowledge;
    private final int passages;

    public ModelAnswers(SalesScript script, ModelChats models, KnowledgeBase knowledge, ParleyProperties properties) {
        this.script = script;
        this.models = models;
        this.knowledge = knowledge;
        this.passages = properties.conversation().passages();
    }

    /** The model named by {@code route} begins to answer {@code said} in the call's current step. */
    public ModelTurn begin(CallSession call, String said, TurnRouter.Route route, OfflinePolicy.Decision offline) {
        String state = call.scriptState();
        List<Retrieved> found = retrieve(said);
        SchemaCheckedChat chat = models.forRoute(route);
        ModelTurn turn = new ModelTurn(call, script, said, state, route, offline,
                found.stream().map(r -> r.passage().source()).toList(), chat.modelName());
        call.log().servedBy("model", chat.modelName());
        turn.answering(chat.answer(messages(call, state, found, said), schema(state), turn.listener()));
        return turn;
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

    /**
     * The prompt: the script's step and where it may go, the passages found, and the conversation as the
     * caller heard it, ending with the turn being answered (not yet in the history when begun early).
     */
    private List<ChatMessage> messages(CallSession call, String state, List<Retrieved> found, String said) {
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
        List<ConversationHistory.Entry> history = call.history().latest(PROMPT_ENTRIES);
        for (ConversationHistory.Entry entry : history) {
            messages.add(entry.speaker() == ConversationHistory.Speaker.AGENT
                    ? AiMessage.from(entry.text()) : UserMessage.from(entry.text()));
        }
        ConversationHistory.Entry last = history.isEmpty() ? null : history.get(history.size() - 1);
        if (last == null || last.speaker() != ConversationHistory.Speaker.CALLER || !last.text().equals(said)) {
            messages.add(UserMessage.from(said));
        }
        return messages;
    }
}
