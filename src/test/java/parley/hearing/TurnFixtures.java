package parley.hearing;

import com.sun.speech.freetts.Item;
import com.sun.speech.freetts.Relation;
import com.sun.speech.freetts.UtteranceProcessor;
import com.sun.speech.freetts.Voice;
import com.sun.speech.freetts.VoiceManager;
import com.sun.speech.freetts.audio.SingleFileAudioPlayer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import parley.audio.MuLaw;
import parley.audio.Resampler;

/**
 * The Smart Turn fixtures, in {@code src/test/resources/turn-model}: how they are made, and how tests read them.
 *
 * <p>{@link #main} makes the caller turns that the reference figures are computed from:
 * for each turn, the wideband audio FreeTTS's kevin16 voice speaks (16 kHz, 16-bit little-endian, {@code .s16})
 * and the same audio as a phone call carries it (Parley's 8 kHz band limit, then mu-law, {@code .ulaw}).
 *
 * <p>An unfinished turn is not the unfinished sentence spoken on its own: a synthesiser ends every sentence it
 * is given with a final fall. It is the whole sentence, cut where the caller would have stopped, taking the
 * cut from the end time FreeTTS gives that word's last sound; the falling ending is never heard.
 *
 * <p>Run it from the repository root, then {@code src/test/python/make_turn_fixtures.py}:
 * {@code ./mvnw -q -o test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test
 * -Dexec.args="-classpath %classpath parley.hearing.TurnFixtures src/test/resources/turn-model"}
 */
public final class TurnFixtures {

    static final int WIDEBAND_RATE = 16_000;
    static final String ALL_TURNS = "all-turns";
    private static final String RESOURCES = "/turn-model/";

    /** The turns: a name, the sentence, and for an unfinished turn the number of words heard before the stop. */
    static final List<Turn> TURNS = List.of(
            new Turn("complete-tuesday", "I'd like to book a meeting next Tuesday.", 0),
            new Turn("complete-minute", "Sure, I have a minute.", 0),
            new Turn("complete-question", "Could you send me the price list?", 0),
            new Turn("cut-and", "I'd like to book a meeting and then talk about the price.", 7),
            new Turn("cut-number", "My number is five five five, one two three, four four.", 6),
            new Turn("cut-so-um", "So um, I was wondering about the contract.", 2));

    /**
     * After a cut, the silence of a caller who has just stopped, as long as the quiet FreeTTS leaves after a
     * finished sentence (about 100 ms), so that the two kinds of turn end alike but for how the speech ends.
     */
    private static final int SILENCE_AFTER_CUT = WIDEBAND_RATE / 10;

    record Turn(String name, String text, int wordsHeard) {

        boolean complete() {
            return wordsHeard == 0;
        }
    }

    private TurnFixtures() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: TurnFixtures <outputDirectory>");
        }
        Path directory = Files.createDirectories(Path.of(args[0]));
        System.setProperty("freetts.voices", "com.sun.speech.freetts.en.us.cmu_us_kal.KevinVoiceDirectory");
        Voice voice = VoiceManager.getInstance().getVoice("kevin16");
        WordEnds wordEnds = new WordEnds();
        voice.allocate();
        voice.getUtteranceProcessors().add(wordEnds);
        try {
            for (Turn turn : TURNS) {
                short[] wide = speak(voice, wordEnds, turn, directory);
                short[] phone = Resampler.downsample16kTo8k(wide);
                Files.write(directory.resolve(turn.name() + ".s16"), littleEndian(wide));
                Files.write(directory.resolve(turn.name() + ".ulaw"), MuLaw.encode(phone));
                System.out.printf("%-18s %5.2f s  %s%n", turn.name(), wide.length / (double) WIDEBAND_RATE,
                        turn.complete() ? turn.text() : String.join(" ", Arrays.asList(
                                turn.text().split(" ")).subList(0, turn.wordsHeard())) + " ...");
            }
        } finally {
            voice.deallocate();
        }
    }

    /** A turn's wideband audio, samples in [-1, 1). */
    static float[] wideband(String name) {
        if (name.equals(ALL_TURNS)) {
            return concatenate(TURNS.stream().map(turn -> wideband(turn.name())).toList());
        }
        ShortBuffer pcm = ByteBuffer.wrap(resource(name + ".s16")).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        float[] samples = new float[pcm.remaining()];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = pcm.get(i) / 32768f;
        }
        return samples;
    }

    /** A turn's audio as the phone line delivers it: 8 kHz, decoded from mu-law, samples in [-1, 1). */
    static float[] phone(String name) {
        if (name.equals(ALL_TURNS)) {
            return concatenate(TURNS.stream().map(turn -> phone(turn.name())).toList());
        }
        short[] pcm = MuLaw.decode(resource(name + ".ulaw"));
        float[] samples = new float[pcm.length];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = pcm[i] / 32768f;
        }
        return samples;
    }

    /** The reference's features of a wideband case, [80][800] mel by mel. */
    static float[] referenceFeatures(String name) {
        FloatBuffer values = ByteBuffer.wrap(resource("features-" + name + ".f32"))
                .order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer();
        float[] features = new float[values.remaining()];
        values.get(features);
        return features;
    }

    /** The reference's probabilities, by turn name, in the order of the file. */
    static Map<String, Reference> referenceProbabilities() {
        String[] lines = new String(resource("probabilities.csv"), StandardCharsets.US_ASCII).split("\n");
        Map<String, Reference> references = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split(",");
            references.put(cells[0], new Reference(cells[0], Boolean.parseBoolean(cells[1]),
                    Float.parseFloat(cells[2]), Float.parseFloat(cells[3]), Float.parseFloat(cells[4])));
        }
        return references;
    }

    /**
     * What Pipecat's pipeline made of a turn: on its wideband audio, and on its phone audio upsampled by soxr;
     * and how far the latter moves when the phone audio moves by less than a 16-bit step.
     */
    record Reference(String name, boolean complete, float wideband, float phone, float phoneSpread) {
    }

    private static byte[] resource(String name) {
        try (InputStream in = TurnFixtures.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("No test fixture " + RESOURCES + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static float[] concatenate(List<float[]> parts) {
        float[] all = new float[parts.stream().mapToInt(part -> part.length).sum()];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    private static short[] speak(Voice voice, WordEnds wordEnds, Turn turn, Path directory)
            throws IOException, UnsupportedAudioFileException {
        Path base = directory.resolve(turn.name() + ".tmp");
        Path wav = directory.resolve(turn.name() + ".tmp.wav");
        SingleFileAudioPlayer player = new SingleFileAudioPlayer(base.toString(), AudioFileFormat.Type.WAVE);
        voice.setAudioPlayer(player);
        if (!voice.speak(turn.text())) {
            throw new IllegalStateException("FreeTTS failed to speak: " + turn.text());
        }
        player.close();
        short[] pcm;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(wav));
             AudioInputStream audio = AudioSystem.getAudioInputStream(in)) {
            AudioFormat format = audio.getFormat();
            if (format.getSampleRate() != WIDEBAND_RATE || format.getSampleSizeInBits() != 16
                    || format.getChannels() != 1) {
                throw new IllegalStateException("kevin16 spoke " + format + ", not 16 kHz 16-bit mono");
            }
            pcm = new short[(int) audio.getFrameLength()];
            ByteBuffer.wrap(audio.readAllBytes())
                    .order(format.isBigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN)
                    .asShortBuffer()
                    .get(pcm);
        } finally {
            Files.deleteIfExists(wav);
        }
        if (turn.complete()) {
            return pcm;
        }
        List<Float> ends = wordEnds.last;
        if (ends.size() < turn.wordsHeard()) {
            throw new IllegalStateException("FreeTTS heard " + ends.size() + " words in: " + turn.text());
        }
        int cut = Math.min(pcm.length, Math.round(ends.get(turn.wordsHeard() - 1) * WIDEBAND_RATE));
        return Arrays.copyOf(Arrays.copyOf(pcm, cut), cut + SILENCE_AFTER_CUT);
    }

    private static byte[] littleEndian(short[] pcm) {
        ByteBuffer bytes = ByteBuffer.allocate(pcm.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asShortBuffer().put(pcm);
        return bytes.array();
    }

    /** Runs after FreeTTS has timed the sounds, before it makes the audio; notes when each word ends, in seconds. */
    private static final class WordEnds implements UtteranceProcessor {

        volatile List<Float> last = List.of();

        @Override
        public void processUtterance(com.sun.speech.freetts.Utterance utterance) {
            List<Float> ends = new ArrayList<>();
            for (Item word = utterance.getRelation(Relation.WORD).getHead(); word != null; word = word.getNext()) {
                Item lastSound = word.findItem("R:SylStructure.daughtern.daughtern.R:Segment");
                if (lastSound != null) {
                    ends.add(lastSound.getFeatures().getFloat("end"));
                }
            }
            last = List.copyOf(ends);
        }
    }
}
