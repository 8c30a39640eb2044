package parley.conversation;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.call.CallEvent;
import parley.call.CallSession;
import parley.llm.Answer;
import parley.llm.SchemaCheckedChat;

/**
 * A language model's answer to one caller turn, which may be begun before the turn has ended: at the caller's
 * pause, from the words heard so far, so that the answer is partly written when the turn ends. Its words are
 * kept in its reply until it is adopted as the agent's turn; only then may it move the script on. One begun
 * for words the turn did not end with, or for a pause the caller talked through, is cancelled unheard.
 *
 * <p>Adopting and settling run on the call's lane; the model's callbacks hop onto it.
 */
public final class ModelTurn {

    private static final Logger LOG = LoggerFactory.getLogger(ModelTurn.class);

    private final CallSession call;
    private final SalesScript script;
    private final String said;
    private final String state;
    private final TurnRouter.Route route;
    private final OfflinePolicy.Decision offline;
    private final List<String> sources;
    private final String model;
    private final AgentReply reply = new AgentReply();
    private SchemaCheckedChat.Turn answering;

    /** The agent turn this answer became, or -1 while it is only begun. */
    private long agentTurn = -1;
    private Answer answer;
    private String problem;
    private boolean settled;
    private volatile long firstTokenNanos = -1;

    ModelTurn(CallSession call, SalesScript script, String said, String state, TurnRouter.Route route,
              OfflinePolicy.Decision offline, List<String> sources, String model) {
        this.model = model;
        this.call = call;
        this.script = script;
        this.said = said;
        this.state = state;
        this.route = route;
        this.offline = offline;
        this.sources = List.copyOf(sources);
    }

    void answering(SchemaCheckedChat.Turn turn) {
        this.answering = turn;
    }

    SchemaCheckedChat.Listener listener() {
        return new SchemaCheckedChat.Listener() {
            public void onSay(String text) {
                if (firstTokenNanos < 0) {
                    firstTokenNanos = System.nanoTime();
                }
                reply.append(text);
            }

            public void onAnswer(Answer written) {
                call.lane().force(() -> {
                    answer = written;
                    settle();
                });
                reply.finish();
            }

            public void onFallback(String why) {
                call.lane().force(() -> {
                    problem = why;
                    settle();
                });
            }
        };
    }

    /** Whether this answer was begun for exactly this turn: the same words, in the same step, by the same model. */
    public boolean answers(String turnSaid, String turnState, TurnRouter.Route turnRoute) {
        return said.equals(turnSaid) && state.equals(turnState) && route == turnRoute;
    }

    /** The answer becomes the agent's turn {@code turn}: what the model decided now moves the script on. */
    public void adopt(long turn) {
        agentTurn = turn;
        call.agentTurns().onCancel(turn, this::cancel);
        settle();
    }

    /** Stops the model's writing; an answer not yet adopted is dropped unheard. */
    public void cancel() {
        answering.cancel();
    }

    private void settle() {
        if (agentTurn < 0 || settled || answer == null && problem == null) {
            return;
        }
        settled = true;
        // A turn cut off or superseded meanwhile must not move the script on.
        if (!call.agentTurns().isCurrent(agentTurn)) {
            reply.finish();
            return;
        }
        if (answer != null) {
            ScriptMoves.advance(call, script, answer.nextState(), answer.slots());
            return;
        }
        LOG.warn("Call {}: the model's answer is not used ({}); the script answers", call.callId(), problem);
        call.log().note(CallEvent.Kind.MODEL_FALLBACK, model + ": " + problem);
        String line = ScriptMoves.advance(call, script, offline.state(), offline.slots());
        if (reply.text().isEmpty()) {
            reply.append(line);
        }
        reply.finish();
    }

    public AgentReply reply() {
        return reply;
    }

    /** When the model's first words of the answer arrived ({@link System#nanoTime()}), or -1 before. */
    public long firstTokenNanos() {
        return firstTokenNanos;
    }

    /** The model writing the answer. */
    public String model() {
        return model;
    }

    public String said() {
        return said;
    }

    public List<String> sources() {
        return sources;
    }
}
