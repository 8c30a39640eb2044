package parley.stt;

/** A recognised word, as formatted for display, with its times in seconds on the call's timeline. */
public record Word(String word, double start, double end, double confidence) {
}
