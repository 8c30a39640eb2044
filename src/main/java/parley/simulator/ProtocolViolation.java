package parley.simulator;

/**
 * Something the agent sent that Twilio would not accept, kept rather than thrown so one run shows them all.
 *
 * @param atMs when it was seen, in milliseconds since the stream started
 * @param problem what is wrong
 * @param message the offending message, shortened
 */
public record ProtocolViolation(long atMs, String problem, String message) {}
