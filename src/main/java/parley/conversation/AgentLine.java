package parley.conversation;

/** Text the agent is to say next, on its way to the voice. */
public record AgentLine(String text) {
}
