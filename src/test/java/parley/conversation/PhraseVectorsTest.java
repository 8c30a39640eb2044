package parley.conversation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The script's phrases are embedded once per model, kept in a file, and embedded again only when it fails. */
class PhraseVectorsTest {

    private static EmbeddingModel model;

    @BeforeAll
    static void load() {
        model = UnderstandingModel.ALL_MINILM_L6_V2_Q.load();
    }

    /** The real model, with what it was asked to embed written down. */
    private record Watched(EmbeddingModel model, List<String> embedded) implements EmbeddingModel {
        Watched(EmbeddingModel model) {
            this(model, new ArrayList<>());
        }

        @Override
        public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
            segments.forEach(segment -> embedded.add(segment.text()));
            return model.embedAll(segments);
        }
    }

    @Test
    void aSecondStartReadsTheFileAndEmbedsOnlyWhatIsNew(@TempDir Path folder) {
        Path file = folder.resolve("model.vectors");
        Watched first = new Watched(model);
        Map<String, float[]> vectors = PhraseVectors.of(List.of("Sure, go ahead.", "Not interested."), first,
                Optional.of(file));
        assertThat(first.embedded()).containsExactly("Sure, go ahead.", "Not interested.");
        assertThat(file).exists();

        Watched second = new Watched(model);
        Map<String, float[]> again = PhraseVectors.of(List.of("Sure, go ahead.", "Not interested.", "Call me later."),
                second, Optional.of(file));
        assertThat(second.embedded()).containsExactly("Call me later.");
        assertThat(again.get("Sure, go ahead.")).isEqualTo(vectors.get("Sure, go ahead."));
        assertThat(again.get("Call me later.")).isEqualTo(model.embed("Call me later.").content().vector());

        Watched third = new Watched(model);
        PhraseVectors.of(List.of("Call me later.", "Hello?"), third, Optional.of(file));
        Watched fourth = new Watched(model);
        PhraseVectors.of(List.of("Sure, go ahead.", "Hello?"), fourth, Optional.of(file));
        assertThat(third.embedded()).containsExactly("Hello?");
        assertThat(fourth.embedded()).as("a changed script's file keeps only what it needs")
                .containsExactly("Sure, go ahead.");
    }

    @Test
    void aDamagedFileCostsOnlyTheTime(@TempDir Path folder) throws Exception {
        Path file = folder.resolve("model.vectors");
        PhraseVectors.of(List.of("Sure, go ahead."), model, Optional.of(file));
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2));

        Watched after = new Watched(model);
        Map<String, float[]> vectors = PhraseVectors.of(List.of("Sure, go ahead."), after, Optional.of(file));

        assertThat(after.embedded()).containsExactly("Sure, go ahead.");
        assertThat(vectors.get("Sure, go ahead.")).isEqualTo(model.embed("Sure, go ahead.").content().vector());
        assertThat(Files.size(file)).isEqualTo(whole.length);
    }

    @Test
    void withNoFileEveryStartEmbeds() {
        Watched watched = new Watched(model);
        PhraseVectors.of(List.of("Hello?"), watched, Optional.empty());
        PhraseVectors.of(List.of("Hello?"), watched, Optional.empty());
        assertThat(watched.embedded()).containsExactly("Hello?", "Hello?");
    }
}
