package parley.llm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One turn's answer that fits its {@link AnswerSchema}: the script state to move to, the slots the caller
 * filled (only those given, with values as {@link SlotType#check} returns them) and the words to speak.
 */
public record Answer(String nextState, Map<String, Object> slots, String say) {

    public Answer {
        slots = Collections.unmodifiableMap(new LinkedHashMap<>(slots));
    }
}
