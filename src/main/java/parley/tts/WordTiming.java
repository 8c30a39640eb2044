package parley.tts;

/** When a word is spoken, in seconds from the start of its turn's audio. */
public record WordTiming(String word, double startSeconds, double endSeconds) {
}
