package parley.knowledge;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads a folder of Markdown and text files into the knowledge store: each file is cut into passages
 * ({@link MarkdownPassages}), each passage embedded in process and written under an id derived from
 * its source and text, so ingesting the same folder again leaves the store as it was.
 */
public final class KnowledgeIngest {

    private final EmbeddingModel model;
    private final PassageStore store;

    public KnowledgeIngest(EmbeddingModel model, PassageStore store) {
        this.model = model;
        this.store = store;
    }

    public IngestReport ingest(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("Not a folder: " + folder.toAbsolutePath());
        }
        List<Path> files = documents(folder);
        List<Passage> passages = new ArrayList<>();
        for (Path file : files) {
            String path = folder.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
            passages.addAll(MarkdownPassages.split(path, read(file)));
        }
        store.prepare(model.dimension());
        if (!passages.isEmpty()) {
            store.upsert(passages, embed(passages));
        }
        return new IngestReport(files.size(), passages.size());
    }

    private List<float[]> embed(List<Passage> passages) {
        // The heading is embedded with the text: "How much it costs" says what a passage answers even
        // when its own sentences only give figures. The file's path is left out; shared by every
        // passage of the file, it only pulls them towards each other.
        List<TextSegment> segments = passages.stream()
                .map(passage -> TextSegment.from(MarkdownPassages.headingOf(passage.source()) + ". " + passage.text()))
                .toList();
        return model.embedAll(segments).content().stream().map(Embedding::vector).toList();
    }

    private static List<Path> documents(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).filter(KnowledgeIngest::isDocument).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list " + folder.toAbsolutePath(), e);
        }
    }

    private static boolean isDocument(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".md") || name.endsWith(".markdown") || name.endsWith(".txt");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file.toAbsolutePath(), e);
        }
    }
}
