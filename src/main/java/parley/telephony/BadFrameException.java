package parley.telephony;

/** An inbound frame Parley cannot use; the call goes on without it. */
public final class BadFrameException extends Exception {

    private final FrameProblem problem;

    public BadFrameException(FrameProblem problem, String detail) {
        super(detail, null, false, false);
        this.problem = problem;
    }

    public FrameProblem problem() {
        return problem;
    }
}
