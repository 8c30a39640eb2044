package parley.voice;

/** A line the agent says, rendered as raw mu-law 8 kHz: what goes to the caller. */
public record AgentAudio(String text, byte[] mulaw) {

    public long durationMs() {
        return mulaw.length / 8L;
    }
}
