package parley.llm;

/**
 * One way an answer misses its schema: the field (a path such as {@code slots.email}, or {@code answer} for the
 * whole) and what is wrong with it, worded so that it can be shown to the model for a repair.
 */
public record Problem(String field, String message) {

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
