package parley.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** How a document is cut into passages, and what each passage is called. */
class MarkdownPassagesTest {

    @Test
    void eachPassageIsNamedByItsFileAndHeading() {
        List<Passage> passages = MarkdownPassages.split("docs/pricing.md", """
                Intro before any heading.

                # Pricing

                ## Plans
                Starter is 29 dollars.

                ## Trial ##
                Fourteen days free.
                """);

        assertThat(passages).extracting(Passage::source, Passage::text).containsExactly(
                tuple("docs/pricing.md", "Intro before any heading."),
                tuple("docs/pricing.md#Plans", "Starter is 29 dollars."),
                tuple("docs/pricing.md#Trial", "Fourteen days free."));
        assertThat(MarkdownPassages.headingOf("docs/pricing.md#Plans")).isEqualTo("Plans");
        assertThat(MarkdownPassages.headingOf("docs/pricing.md")).isEmpty();
    }

    @Test
    void aLongParagraphIsCutEveryThreeSentencesAndWrappedLinesAreJoined() {
        List<Passage> passages = MarkdownPassages.split("a.md", """
                One is first. Two follows
                on the next line. Three ends the first passage! Four starts
                the second? Five ends it.
                """);

        assertThat(passages).extracting(Passage::text).containsExactly(
                "One is first. Two follows on the next line. Three ends the first passage!",
                "Four starts the second? Five ends it.");
    }

    @Test
    void passagesDoNotCrossParagraphsAndListItemsCountAsSentences() {
        List<Passage> passages = MarkdownPassages.split("a.md", """
                A paragraph on its own.

                - first item
                - second item that wraps
                  onto a second line
                * third item
                1. fourth item
                """);

        assertThat(passages).extracting(Passage::text).containsExactly(
                "A paragraph on its own.",
                "first item second item that wraps onto a second line third item",
                "fourth item");
    }

    @Test
    void aPassageStopsBeforeItGrowsPastTheCharacterLimit() {
        String sentence = "A" + "x".repeat(MarkdownPassages.MAX_CHARS / 2) + ".";

        List<Passage> passages = MarkdownPassages.split("a.md", sentence + " " + sentence + " Short.");

        assertThat(passages).extracting(Passage::text).containsExactly(sentence, sentence + " Short.");
        assertThat(passages).allSatisfy(p -> assertThat(p.text().length()).isLessThanOrEqualTo(MarkdownPassages.MAX_CHARS));
    }

    @Test
    void codeBlocksAreLeftOut() {
        List<Passage> passages = MarkdownPassages.split("a.md", """
                Before the sample.
                ```
                curl -X POST https://example.invalid/orders
                ```
                After the sample.
                """);

        assertThat(passages).extracting(Passage::text).containsExactly("Before the sample.", "After the sample.");
    }

    @Test
    void idsDependOnSourceAndTextOnly() {
        Passage once = MarkdownPassages.split("a.md", "# H\nSame words.").get(0);
        Passage again = MarkdownPassages.split("a.md", "# H\n\nSame words.\n").get(0);
        Passage elsewhere = MarkdownPassages.split("b.md", "# H\nSame words.").get(0);

        assertThat(again.id()).isEqualTo(once.id());
        assertThat(elsewhere.id()).isNotEqualTo(once.id());
        assertThat(UUID.fromString(once.id())).isNotNull();
    }
}
