package parley.simulator;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One thing the simulated caller says, and when it starts saying it.
 *
 * <p>Lines are spoken one at a time in the order they were given: a line is considered only once the
 * previous one has finished, and then waits for its own {@link Start} rule.
 */
public record CallerLine(Source source, Start start) {

    /** The default pause after the agent falls silent before the caller answers, like a person taking a turn. */
    public static final long DEFAULT_GAP_MS = 500;

    public CallerLine {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(start, "start");
    }

    /** A line spoken by the offline synthetic voice, taking its turn after the agent. */
    public static CallerLine say(String text) {
        return new CallerLine(new Text(text), new AfterAgent(DEFAULT_GAP_MS));
    }

    /** A recorded 8 kHz WAV file, taking its turn after the agent. */
    public static CallerLine wav(Path file) {
        return new CallerLine(new Wav(file), new AfterAgent(DEFAULT_GAP_MS));
    }

    /**
     * Ready-made speech of known words (another voice than the simulator's own), taking its turn after the
     * agent; the sandbox recognizer is told its words as it is told a {@link #say} line's.
     */
    public static CallerLine spoken(String text, short[] samples8k) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("spoken audio needs the words it says");
        }
        return new CallerLine(new Pcm(text, samples8k, text), new AfterAgent(DEFAULT_GAP_MS));
    }

    /** Ready-made 8 kHz 16-bit samples (for example a generated tone), taking its turn after the agent. */
    public static CallerLine pcm(String label, short[] samples8k) {
        return new CallerLine(new Pcm(label, samples8k, null), new AfterAgent(DEFAULT_GAP_MS));
    }

    /** The same audio, started once the agent has spoken and then stayed silent for {@code gapMs}. */
    public CallerLine afterAgent(long gapMs) {
        return new CallerLine(source, new AfterAgent(gapMs));
    }

    /**
     * The same audio, started {@code gapMs} after the caller's previous line ended whatever the agent is
     * doing: the two lines are one utterance with a pause in it.
     */
    public CallerLine afterPause(long gapMs) {
        return new CallerLine(source, new AfterPause(gapMs));
    }

    /** The same audio, started at {@code ms} after the stream start whatever the agent is doing (barge-in). */
    public CallerLine atMs(long ms) {
        return new CallerLine(source, new At(ms));
    }

    /** The same audio, said over the agent {@code ms} into its next line (see {@link IntoAgent}). */
    public CallerLine intoAgent(long ms) {
        return new CallerLine(source, new IntoAgent(ms));
    }

    /** Where the line's audio comes from. */
    public sealed interface Source permits Text, Wav, Pcm {
        /** How the line is named in events and reports. */
        String label();

        /** The words the line says, for the sandbox recognizer; null when they are not known. */
        default String words() {
            return null;
        }
    }

    public record Text(String text) implements Source {
        public Text {
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("a spoken line needs some text");
            }
        }

        @Override
        public String label() {
            return text;
        }

        @Override
        public String words() {
            return text;
        }
    }

    public record Wav(Path file) implements Source {
        public Wav {
            Objects.requireNonNull(file, "file");
        }

        @Override
        public String label() {
            return file.toString();
        }
    }

    /** Ready-made 8 kHz 16-bit samples; {@code words} is what they say, or null when they say nothing known. */
    public record Pcm(String label, short[] samples, String words) implements Source {
        public Pcm {
            Objects.requireNonNull(label, "label");
            samples = samples.clone();
        }

        @Override
        public short[] samples() {
            return samples.clone();
        }
    }

    /** When a line starts. */
    public sealed interface Start permits AfterAgent, AfterPause, At, IntoAgent {}

    /**
     * Take turns: wait until the agent has started speaking since the previous line began (or since the
     * stream started, for the first line), has stopped playing, and {@code gapMs} of silence have followed
     * both its audio and the caller's previous line. An agent that never takes a turn is never answered:
     * the line then waits until the call's maximum duration.
     */
    public record AfterAgent(long gapMs) implements Start {
        public AfterAgent {
            if (gapMs < 0) {
                throw new IllegalArgumentException("gapMs must not be negative: " + gapMs);
            }
        }
    }

    /** Start {@code gapMs} after the caller's previous line ended, regardless of the agent. */
    public record AfterPause(long gapMs) implements Start {
        public AfterPause {
            if (gapMs < 0) {
                throw new IllegalArgumentException("gapMs must not be negative: " + gapMs);
            }
        }
    }

    /**
     * Talk over the agent: start {@code ms} into the agent's audio, once it has started speaking since the
     * previous line began (a barge-in, or a backchannel), while it is still playing.
     */
    public record IntoAgent(long ms) implements Start {
        public IntoAgent {
            if (ms < 0) {
                throw new IllegalArgumentException("ms must not be negative: " + ms);
            }
        }
    }

    /** Start at an absolute time after the stream start, regardless of the agent. */
    public record At(long ms) implements Start {
        public At {
            if (ms < 0) {
                throw new IllegalArgumentException("ms must not be negative: " + ms);
            }
        }
    }
}
