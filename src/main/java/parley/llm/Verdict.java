package parley.llm;

import java.util.List;

/** What checking a complete answer against its schema found. */
public sealed interface Verdict {

    /** The answer fits. */
    record Valid(Answer answer) implements Verdict {
    }

    /** The answer does not fit, for every reason listed (never empty). */
    record Invalid(List<Problem> problems) implements Verdict {
        public Invalid {
            problems = List.copyOf(problems);
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("an invalid answer has at least one problem");
            }
        }
    }
}
