package parley.conversation;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vectors of the phrases a script's classifiers learn from (its examples, the common intents, unrelated talk),
 * kept in one file per model: embedding a few thousand phrases takes seconds, and a restart, or another instance on
 * the same disk, need not do it again. Only phrases from files Parley loads are kept, never what a caller said. A
 * file that cannot be read or written costs only the time: the phrases are embedded again.
 */
final class PhraseVectors {

    private static final Logger LOG = LoggerFactory.getLogger(PhraseVectors.class);
    private static final int FORMAT = 1;

    private PhraseVectors() {
    }

    /** Each phrase's vector: from {@code file} where it has it, else embedded now and added to it. */
    static Map<String, float[]> of(List<String> phrases, EmbeddingModel model, Optional<Path> file) {
        Map<String, float[]> known = file.map(PhraseVectors::read).orElseGet(HashMap::new);
        List<String> missing = new ArrayList<>(new LinkedHashSet<>(phrases));
        missing.removeIf(known::containsKey);
        if (missing.isEmpty()) {
            return known;
        }
        List<Embedding> vectors = model.embedAll(missing.stream().map(TextSegment::from).toList()).content();
        for (int i = 0; i < missing.size(); i++) {
            known.put(missing.get(i), vectors.get(i).vector());
        }
        // Written only when something was embedded, and then only what this script needs: the file does not grow
        // as a script changes.
        Map<String, float[]> needed = new HashMap<>();
        phrases.forEach(phrase -> needed.put(phrase, known.get(phrase)));
        file.ifPresent(path -> write(path, needed));
        return needed;
    }

    private static Map<String, float[]> read(Path file) {
        Map<String, float[]> known = new HashMap<>();
        if (!Files.isRegularFile(file)) {
            return known;
        }
        try (InputStream in = Files.newInputStream(file);
             DataInputStream data = new DataInputStream(new BufferedInputStream(in))) {
            if (data.readInt() != FORMAT) {
                return known;
            }
            while (true) {
                String phrase;
                try {
                    phrase = data.readUTF();
                } catch (EOFException end) {
                    return known;
                }
                float[] vector = new float[data.readInt()];
                for (int i = 0; i < vector.length; i++) {
                    vector[i] = data.readFloat();
                }
                known.put(phrase, vector);
            }
        } catch (IOException e) {
            LOG.warn("Phrase vectors in {} could not be read ({}); embedding them again", file, e.toString());
            return new HashMap<>();
        }
    }

    /** Written whole to a file beside it, then moved over it: a reader never sees half a file. */
    private static void write(Path file, Map<String, float[]> known) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path written = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
            try (OutputStream out = Files.newOutputStream(written);
                 DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out))) {
                data.writeInt(FORMAT);
                for (Map.Entry<String, float[]> entry : known.entrySet()) {
                    data.writeUTF(entry.getKey());
                    data.writeInt(entry.getValue().length);
                    for (float value : entry.getValue()) {
                        data.writeFloat(value);
                    }
                }
            }
            try {
                Files.move(written, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(written, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.warn("Phrase vectors could not be kept in {} ({}); they will be embedded again at the next start",
                    file, e.toString());
        }
    }
}
