package parley.conversation;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A sales script: named states, each with a goal, the lines the agent says there, typed slots to collect,
 * and transitions to other states, described and illustrated with what a caller might say. A state with an
 * outcome ends the call. Transitions listed under {@code anytime} apply in every state ("don't call me
 * again"). The call opens in {@code start}. {@code version} tells edits of the script apart (see
 * {@link ScriptLoader#version}). {@code voicemail} is the line left on an answering machine after its beep, or null
 * when the script leaves none (the call then hangs up on a machine).
 */
public record SalesScript(String name, String source, String version, String start, Map<String, State> states,
                          List<Transition> anytime, String voicemail, NotUnderstood notUnderstood, Silence silence) {

    /**
     * How a call can end: by a state's outcome, or, when Parley gives up on the conversation, NOT_UNDERSTOOD
     * (the caller could not be understood, see {@link NotUnderstood}) or NO_RESPONSE (they stopped answering,
     * see {@link Silence}).
     */
    public enum Outcome { BOOKED, NOT_INTERESTED, CALL_BACK_LATER, WRONG_PERSON, DO_NOT_CALL, NOT_UNDERSTOOD, NO_RESPONSE }

    /**
     * What the agent does when a caller's answer does not move the call on: it says the state's second line
     * {@code askAgain} times in a row; after that a configured model answers, or, with none, the agent says
     * {@code close} and the call ends NOT_UNDERSTOOD. A null {@code close} asks again without end.
     */
    public record NotUnderstood(int askAgain, String close) {
        public static final NotUnderstood ASK_AGAIN_ALWAYS = new NotUnderstood(Integer.MAX_VALUE, null);

        /** Whether a turn not understood, after {@code stayed} turns in a row that left the state, is asked again. */
        public boolean asksAgain(int stayed) {
            return stayed < askAgain;
        }
    }

    /**
     * What the agent does when the caller says nothing for {@code after} once it has finished speaking: says
     * {@code checkIn}; when a second silence follows, says {@code close} and the call ends NO_RESPONSE.
     */
    public record Silence(Duration after, String checkIn, String close) {
    }

    /** What a state does besides talking. */
    public enum Action { BOOK_MEETING, TRANSFER }

    public enum SlotType { NAME, EMAIL, PHONE, DATETIME, ENUM, TEXT }

    /**
     * @param partial a datetime slot that takes a day alone or a time alone ("call me Tuesday"), not only both
     */
    public record Slot(SlotType type, boolean required, List<String> values, boolean partial) {
    }

    /** @param dtmf a key that takes this transition at once, or null */
    public record Transition(String to, String when, List<String> examples, String dtmf) {
    }

    /**
     * @param say the lines: the first is said on entering the state, the second (if any) when the caller's
     *            answer did not move the call on
     */
    public record State(String goal, List<String> say, Map<String, Slot> slots, List<Transition> transitions,
                        Outcome outcome, Action action, String transferTo) {

        /** The agent's line here is its last: the call ends, or goes to a person. */
        public boolean terminal() {
            return outcome != null || action == Action.TRANSFER;
        }

        public String askAgain() {
            return say.size() > 1 ? say.get(1) : say.get(0);
        }
    }

    /** The agent's first words on a call. */
    public String openingLine() {
        return states.get(start).say().get(0);
    }

    /** The transition a key press takes from a state, if any. */
    public java.util.Optional<Transition> onKey(String state, String digit) {
        return transitionsFrom(state).stream().filter(t -> digit.equals(t.dtmf())).findFirst();
    }

    /**
     * The transitions open from a state: its own, then the ones that apply anywhere, but for one that leads back
     * to this state (a caller asked when to call back who says "call me later" has not said when).
     */
    public List<Transition> transitionsFrom(String state) {
        List<Transition> open = new java.util.ArrayList<>(states.get(state).transitions());
        anytime.stream().filter(t -> !t.to().equals(state)).forEach(open::add);
        return open;
    }
}
