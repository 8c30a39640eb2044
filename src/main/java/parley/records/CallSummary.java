package parley.records;

/** A call's summary as Parley keeps it: who wrote it (a model's name, or {@link #OFFLINE}) and what it says. */
public record CallSummary(String callSid, String writer, String text) {

    public static final String OFFLINE = "offline";
}
