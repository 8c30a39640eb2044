package parley.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What retrieval must give whichever store holds the passages: the sample Acme Logistics folder is
 * ingested once, and callers' questions must bring back the passage that answers them first.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RetrievalContract {

    static final Path SAMPLE = Path.of("knowledge");

    /** The store under test, with the sample folder ingested into it. */
    abstract KnowledgeBase knowledge();

    /** What ingesting the sample folder reported. */
    abstract IngestReport firstIngest();

    @Test
    void priceQuestionFindsThePricingPassageWithItsSource() {
        List<Retrieved> found = knowledge().search("How much does it cost?", 3);

        assertThat(found).hasSize(3);
        Retrieved first = found.get(0);
        assertThat(first.passage().source()).isEqualTo("acme-logistics/pricing.md#How much it costs");
        assertThat(first.passage().text()).contains("29 dollars per vehicle per month");
        assertThat(first.passage().id()).isEqualTo(MarkdownPassages.idFor(first.passage().source(), first.passage().text()));
    }

    @Test
    void spreadsheetRemarkFindsTheSpreadsheetObjection() {
        Retrieved first = knowledge().search("We just use spreadsheets", 3).get(0);

        assertThat(first.passage().source()).isEqualTo("acme-logistics/objections.md#\"We already use spreadsheets\"");
    }

    @Test
    void emailBrushOffFindsHowToHandleIt() {
        Retrieved first = knowledge().search("Can you just send me an email with the details?", 3).get(0);

        assertThat(first.passage().source()).isEqualTo("acme-logistics/objections.md#\"Just send me an email\"");
    }

    @Test
    void integrationQuestionFindsTheIntegrations() {
        Retrieved first = knowledge().search("Does it work with Shopify?", 3).get(0);

        assertThat(first.passage().source()).startsWith("acme-logistics/integrations.md#");
        assertThat(first.passage().text()).contains("Shopify");
    }

    @Test
    void resultsComeClosestFirstWithinTheLimit() {
        List<Retrieved> found = knowledge().search("How long does onboarding take?", 4);

        assertThat(found).hasSize(4);
        assertThat(found).extracting(Retrieved::score)
                .isSortedAccordingTo((a, b) -> Double.compare(b, a))
                .allSatisfy(score -> assertThat(score).isBetween(-1.0, 1.0));
        assertThat(found.get(0).passage().source()).isEqualTo("acme-logistics/onboarding.md#How long it takes");
        assertThat(found.get(0).score()).isGreaterThan(found.get(3).score());
    }

    @Test
    void everySampleFileIsIngested() {
        assertThat(firstIngest().files()).isEqualTo(5);
        assertThat(knowledge().search("Acme Logistics", 1000))
                .extracting(r -> r.passage().source().substring(0, r.passage().source().indexOf('#')))
                .containsOnly("acme-logistics/product.md", "acme-logistics/pricing.md",
                        "acme-logistics/integrations.md", "acme-logistics/onboarding.md",
                        "acme-logistics/objections.md");
    }

    @Test
    void ingestingAgainReplacesRatherThanAdds() {
        IngestReport again = ingestAgain();

        assertThat(again).isEqualTo(firstIngest());
        List<Retrieved> everything = knowledge().search("Acme Logistics", 1000);
        assertThat(everything).hasSize(firstIngest().passages());
        assertThat(everything).extracting(r -> r.passage().id()).doesNotHaveDuplicates();
    }

    abstract IngestReport ingestAgain();
}
