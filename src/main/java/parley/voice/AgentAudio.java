package parley.voice;

import java.util.List;

import parley.conversation.HeardText;

/**
 * A line the agent says, rendered as raw mu-law 8 kHz (what goes to the caller), with the voice's word timings
 * when it gave any.
 */
public record AgentAudio(String text, byte[] mulaw, List<HeardText.TimedWord> words) {

    public AgentAudio {
        words = List.copyOf(words);
    }

    public long durationMs() {
        return mulaw.length / 8L;
    }
}
