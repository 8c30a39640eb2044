package parley.llm;

import java.time.Duration;

import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import parley.conversation.TurnRouter;

/** The fast and the strong model behind one OpenAI-compatible endpoint; absent when none is configured. */
public final class ModelChats implements AutoCloseable {

    private final SchemaCheckedChat fast;
    private final SchemaCheckedChat strong;

    private ModelChats(SchemaCheckedChat fast, SchemaCheckedChat strong) {
        this.fast = fast;
        this.strong = strong;
    }

    public static ModelChats none() {
        return new ModelChats(null, null);
    }

    public static ModelChats at(String baseUrl, String apiKey, String fastModel, String strongModel,
                                Duration firstTokenTimeout, Duration answerTimeout) {
        return new ModelChats(chat(baseUrl, apiKey, fastModel, firstTokenTimeout, answerTimeout),
                chat(baseUrl, apiKey, strongModel, firstTokenTimeout, answerTimeout));
    }

    private static SchemaCheckedChat chat(String baseUrl, String apiKey, String model, Duration firstToken,
                                          Duration answer) {
        return new SchemaCheckedChat(OpenAiStreamingChatModel.builder()
                .baseUrl(baseUrl).apiKey(apiKey).modelName(model).build(),
                firstToken, answer);
    }

    public boolean configured() {
        return fast != null;
    }

    public SchemaCheckedChat forRoute(TurnRouter.Route route) {
        if (!configured() || route == TurnRouter.Route.SCRIPTED) {
            throw new IllegalStateException("no model answers a " + route + " turn");
        }
        return route == TurnRouter.Route.STRONG ? strong : fast;
    }

    @Override
    public void close() {
        if (configured()) {
            fast.close();
            strong.close();
        }
    }
}
