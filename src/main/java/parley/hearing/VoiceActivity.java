package parley.hearing;

/**
 * One scored window of the caller's audio: where it lies in stream time, how likely it is speech, and how
 * loud it is (dBFS).
 */
public record VoiceActivity(long startMs, long endMs, float probability, float energyDb) {
}
