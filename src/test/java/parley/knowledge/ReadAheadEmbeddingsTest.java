package parley.knowledge;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReadAheadEmbeddingsTest {

    /** The real model, noting each text it is asked to embed. */
    private static final class Counted implements EmbeddingModel {
        final List<String> embedded = new CopyOnWriteArrayList<>();

        @Override
        public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
            segments.forEach(segment -> embedded.add(segment.text()));
            return MiniLm.model().embedAll(segments);
        }
    }

    private final Counted model = new Counted();

    @Test
    void aTextEmbeddedAheadIsNotEmbeddedAgainWhenNeeded() {
        String said = "We plan about forty deliveries a week in a spreadsheet.";
        try (ReadAheadEmbeddings embeddings = new ReadAheadEmbeddings(model)) {
            embeddings.anticipate(said);
            Awaitility.await().until(() -> model.embedded.contains(said));
            embeddings.anticipate(said);

            Embedding needed = embeddings.embed(said).content();

            assertThat(model.embedded).containsExactly(said);
            assertThat(needed.vector()).isEqualTo(MiniLm.model().embed(said).content().vector());
        }
    }

    @Test
    void aTextNotReadAheadIsEmbeddedWhenNeeded() {
        try (ReadAheadEmbeddings embeddings = new ReadAheadEmbeddings(model)) {
            embeddings.anticipate("Something else entirely.");
            Embedding needed = embeddings.embed("How much does it cost?").content();

            assertThat(needed.vector()).isEqualTo(MiniLm.model().embed("How much does it cost?").content().vector());
            assertThat(model.embedded).containsOnlyOnce("How much does it cost?");
        }
    }

    @Test
    void blankWordsAreNotReadAhead() {
        try (ReadAheadEmbeddings embeddings = new ReadAheadEmbeddings(model)) {
            embeddings.anticipate(null);
            embeddings.anticipate("  ");
            embeddings.embed("Hello.");
            assertThat(model.embedded).containsExactly("Hello.");
        }
    }
}
