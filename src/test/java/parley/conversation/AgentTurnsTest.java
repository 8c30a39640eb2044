package parley.conversation;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AgentTurnsTest {

    @Test
    void aNewTurnCancelsWhatThePreviousOneStillHasInFlight() {
        AgentTurns turns = new AgentTurns();
        List<String> cancelled = new ArrayList<>();
        long first = turns.begin();
        turns.onCancel(first, () -> cancelled.add("model writing turn 1"));
        turns.onCancel(first, () -> cancelled.add("voice rendering turn 1"));

        long second = turns.begin();

        assertThat(cancelled).containsExactly("model writing turn 1", "voice rendering turn 1");
        assertThat(turns.isCurrent(first)).isFalse();
        assertThat(turns.isCurrent(second)).isTrue();
        turns.onCancel(first, () -> cancelled.add("late work of turn 1"));
        assertThat(cancelled).as("work registered for a past turn is stopped at once").endsWith("late work of turn 1");
    }

    @Test
    void aBargeInCancelsTheCurrentTurnOnce() {
        AgentTurns turns = new AgentTurns();
        List<String> cancelled = new ArrayList<>();
        long turn = turns.begin();
        turns.onCancel(turn, () -> cancelled.add("speech"));
        turns.cancel();
        turns.cancel();
        turns.begin();
        assertThat(cancelled).containsExactly("speech");
        assertThat(turns.isCurrent(turn)).isFalse();
    }
}
