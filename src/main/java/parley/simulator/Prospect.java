package parley.simulator;

/** Who picks up a number of the simulated phone network (see {@link SimulatedPhoneNetwork}), and what they do. */
public enum Prospect {
    /** Answers and books a meeting, as {@link SampleCalls#booking} does. */
    BOOKS,
    /** Answers, is driving, and asks to be called back tomorrow at 3 pm. */
    ASKS_TO_BE_CALLED_BACK,
    /** Answers and asks never to be called again. */
    OPTS_OUT,
    /** The line is busy. */
    BUSY,
    /** Rings until the network gives up. */
    NO_ANSWER,
    /** An answering machine: a greeting, a beep, then it records whatever is said until the caller hangs up. */
    VOICEMAIL
}
