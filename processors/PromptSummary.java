package parley.processors;

import java.util.ArrayList;
import java.util.List;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.call.EndedCall;
import parley.config.ParleyProperties;
import parley.conversation.ConversationHistory;
import parley.records.OfflineSummary;

/**
 * Asks the summary model for a call's summary: the call's record as Parley wrote it offline, and the
 * transcript as the caller experienced it.
 */
@Component
public class PromptSummary implements Processor {

    static final String INSTRUCTIONS = """
            You write the note a sales team keeps about a phone call their voice agent has just finished. In at \
            most four plain sentences, say who the caller was and what they said, how the call ended, what they \
            gave (such as an email address or a meeting time) and the next step. Use only what the call record \
            and the transcript show. A line marked "cut off" was interrupted: the caller heard only those words.""";

    private final String model;

    public PromptSummary(ParleyProperties properties) {
        this.model = properties.llm().summaryModel();
    }

    @Override
    public void process(Exchange exchange) {
        EndedCall call = exchange.getProperty(ShapeCallRecord.ENDED_CALL, EndedCall.class);
        StringBuilder prompt = new StringBuilder("Call record: ").append(OfflineSummary.write(call))
                .append("\n\nTranscript:");
        for (ConversationHistory.Entry entry : call.history()) {
            prompt.append('\n').append(entry.speaker() == ConversationHistory.Speaker.AGENT ? "Agent" : "Caller")
                    .append(entry.interrupted() ? " (cut off): " : ": ").append(entry.text());
        }
        // The chat component sets the last message back into the list (with any retrieved passages): it must be mutable.
        List<ChatMessage> messages = new ArrayList<>(List.of(
                SystemMessage.from(INSTRUCTIONS), UserMessage.from(prompt.toString())));
        exchange.getMessage().setHeader(ShapeCallRecord.SUMMARY_WRITER, model);
        exchange.getMessage().setBody(messages);
    }
}
