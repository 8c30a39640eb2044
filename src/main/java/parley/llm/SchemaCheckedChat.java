package parley.llm;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import parley.tts.Phrases;

/**
 * Asks a streaming chat model for one turn's answer and holds it to the turn's {@link AnswerSchema}, speaking
 * the answer's {@code say} while the rest is still being written.
 *
 * <p>The schema's instruction is added to the end of the first system message (or becomes the system message
 * if there is none): several OpenAI-compatible servers refuse a second system message or one after the first
 * user message.
 *
 * <p>Say-text goes to {@link Listener#onSay} a phrase at a time ({@link Phrases}), each phrase as soon as its
 * end has arrived, and the last one when the {@code say} string closes. Text from a say string the JSON broke
 * off inside is spoken only up to its last whole phrase.
 *
 * <p>A complete answer that fits is handed to {@link Listener#onAnswer}. One that does not (wrong field, bad
 * slot, broken or unfinished JSON) is sent back once with its problems for a repair. The repair rule: if any of
 * the first answer's say-text was already spoken, the repair's {@code say} is not spoken and only its
 * {@code next_state} and {@code slots} are used, so the {@link Answer}'s {@code say} is what the caller heard;
 * if nothing was spoken yet, the repair's {@code say} is spoken as usual. In every case the {@code say} handed
 * to {@code onAnswer} is exactly the text given to {@code onSay}. A repair that fails too, a model error or a
 * timeout ends the turn with {@link Listener#onFallback}, after which the caller speaks the state's scripted
 * line (possibly after some say-text already spoken).
 *
 * <p>Two timeouts apply to each request: the first token must arrive within {@code firstTokenTimeout}, and the
 * whole answer within {@code answerTimeout}. Instances are thread-safe and may serve many calls at once.
 */
public final class SchemaCheckedChat implements AutoCloseable {

    /** Receives one turn's outcome: any number of {@code onSay}, then exactly one of the other two. */
    public interface Listener {

        void onSay(String text);

        void onAnswer(Answer answer);

        void onFallback(String reason);
    }

    private final StreamingChatModel model;
    private final Duration firstTokenTimeout;
    private final Duration answerTimeout;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "parley-llm-timeouts");
        thread.setDaemon(true);
        return thread;
    });

    /** The model's name, as its endpoint knows it. */
    public String modelName() {
        String name = model.defaultRequestParameters().modelName();
        return name == null ? "unnamed model" : name;
    }

    public SchemaCheckedChat(StreamingChatModel model, Duration firstTokenTimeout, Duration answerTimeout) {
        this.model = Objects.requireNonNull(model, "model");
        this.firstTokenTimeout = requirePositive(firstTokenTimeout, "firstTokenTimeout");
        this.answerTimeout = requirePositive(answerTimeout, "answerTimeout");
    }

    /**
     * Starts one turn: {@code messages} are the system prompt, the history and the caller's last words, in
     * order. The listener is called from the model's and the timers' threads, one call at a time; it must not
     * block, because the turn is locked while it runs.
     */
    public Turn answer(List<ChatMessage> messages, AnswerSchema schema, Listener listener) {
        Turn turn = new Turn(withInstruction(messages, schema), schema, listener);
        turn.start();
        return turn;
    }

    /** Stops the timers; turns still running get no more timeouts. */
    @Override
    public void close() {
        timers.shutdownNow();
    }

    /** One turn in progress. */
    public final class Turn {

        private final List<ChatMessage> messages;
        private final AnswerSchema schema;
        private final Listener listener;

        private Attempt attempt;
        private final StringBuilder spoken = new StringBuilder();
        private boolean finished;

        private Turn(List<ChatMessage> messages, AnswerSchema schema, Listener listener) {
            this.messages = messages;
            this.schema = schema;
            this.listener = listener;
        }

        /**
         * Stops the turn at once, for a barge-in: the stream is cancelled and no listener call follows once
         * this returns.
         */
        public synchronized void cancel() {
            if (!finished) {
                finished = true;
                attempt.stop();
            }
        }

        private synchronized void start() {
            attempt = new Attempt(this, messages, true, true);
            attempt.send();
        }

        private void conclude(Attempt from, Verdict verdict) {
            from.stop();
            if (verdict instanceof Verdict.Valid valid) {
                finished = true;
                Answer answer = valid.answer();
                listener.onAnswer(from.speaks
                        ? answer
                        : new Answer(answer.nextState(), answer.slots(), spoken.toString()));
            } else if (from.first) {
                List<Problem> problems = ((Verdict.Invalid) verdict).problems();
                attempt = new Attempt(this, repairMessages(from.text.toString(), problems), false, spoken.isEmpty());
                attempt.send();
            } else {
                fallBack(from, "the repaired answer does not fit either: "
                        + describe(((Verdict.Invalid) verdict).problems()));
            }
        }

        private void fallBack(Attempt from, String reason) {
            from.stop();
            finished = true;
            listener.onFallback(reason);
        }

        private List<ChatMessage> repairMessages(String answer, List<Problem> problems) {
            List<ChatMessage> repair = new ArrayList<>(messages);
            if (!answer.isBlank()) {
                repair.add(AiMessage.from(answer));
            }
            repair.add(UserMessage.from("Your reply does not fit the required JSON:\n"
                    + problems.stream().map(problem -> "- " + problem).collect(Collectors.joining("\n"))
                    + "\nReply again with the whole corrected JSON object and nothing else."));
            return repair;
        }

        private void speak(String phrase) {
            // The listener may have cancelled the turn from its previous onSay, with phrases still in hand.
            if (!finished && !phrase.isEmpty()) {
                spoken.append(phrase);
                listener.onSay(phrase);
            }
        }
    }

    /** One request to the model and what has come back from it. */
    private final class Attempt implements StreamingChatResponseHandler {

        private final Turn turn;
        private final List<ChatMessage> messages;
        private final boolean first;
        private final boolean speaks;
        private final StreamingAnswerParser parser;
        private final Phrases.Assembler phrases = new Phrases.Assembler();
        private final StringBuilder text = new StringBuilder();
        private ScheduledFuture<?> firstTokenTimer;
        private ScheduledFuture<?> answerTimer;
        private StreamingHandle stream;
        private boolean over;

        private Attempt(Turn turn, List<ChatMessage> messages, boolean first, boolean speaks) {
            this.turn = turn;
            this.messages = messages;
            this.first = first;
            this.speaks = speaks;
            this.parser = new StreamingAnswerParser(turn.schema, this::heard);
        }

        private void send() {
            firstTokenTimer = timers.schedule(() -> timedOut("no first token within " + firstTokenTimeout),
                    firstTokenTimeout.toMillis(), TimeUnit.MILLISECONDS);
            answerTimer = timers.schedule(() -> timedOut("no complete answer within " + answerTimeout),
                    answerTimeout.toMillis(), TimeUnit.MILLISECONDS);
            try {
                model.chat(ChatRequest.builder().messages(messages).build(), this);
            } catch (RuntimeException e) {
                onError(e);
            }
        }

        /** Ends this request; the stream is cancelled now if it has shown its handle, else at its next token. */
        private void stop() {
            over = true;
            firstTokenTimer.cancel(false);
            answerTimer.cancel(false);
            if (stream != null) {
                stream.cancel();
            }
        }

        private void heard(String piece) {
            if (speaks) {
                phrases.add(piece).forEach(turn::speak);
            }
        }

        @Override
        public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
            synchronized (turn) {
                stream = context.streamingHandle();
                if (over) {
                    stream.cancel();
                    return;
                }
                if (!partial.text().isEmpty()) {
                    firstTokenTimer.cancel(false);
                }
                text.append(partial.text());
                parser.feed(partial.text());
                if (over) {
                    return;
                }
                if (parser.sayComplete() && speaks) {
                    turn.speak(phrases.rest());
                }
                if (parser.done()) {
                    turn.conclude(this, parser.finish());
                }
            }
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
            synchronized (turn) {
                if (!over) {
                    turn.conclude(this, parser.finish());
                }
            }
        }

        @Override
        public void onError(Throwable error) {
            synchronized (turn) {
                if (!over) {
                    turn.fallBack(this, "the model failed: " + error);
                }
            }
        }

        private void timedOut(String reason) {
            synchronized (turn) {
                if (!over) {
                    turn.fallBack(this, reason);
                }
            }
        }
    }

    private static List<ChatMessage> withInstruction(List<ChatMessage> messages, AnswerSchema schema) {
        List<ChatMessage> prompt = new ArrayList<>(messages);
        for (int i = 0; i < prompt.size(); i++) {
            if (prompt.get(i) instanceof SystemMessage system) {
                prompt.set(i, SystemMessage.from(system.text() + "\n\n" + schema.instruction()));
                return prompt;
            }
        }
        prompt.add(0, SystemMessage.from(schema.instruction()));
        return prompt;
    }

    private static String describe(List<Problem> problems) {
        return problems.stream().map(Problem::toString).collect(Collectors.joining("; "));
    }

    private static Duration requirePositive(Duration timeout, String name) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return timeout;
    }
}
