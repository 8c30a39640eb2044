package parley.knowledge;

import java.util.Objects;

/**
 * A few sentences from the knowledge folder, small enough to be read to the agent as context.
 *
 * @param id stable for the same text at the same place, so that ingesting a folder again replaces
 *     rather than adds (a UUID, because Qdrant accepts only UUIDs or unsigned integers as point ids)
 * @param source where the text came from: the file's path inside the folder, then {@code #} and the
 *     heading it sits under, if any (e.g. {@code pricing.md#Plans})
 * @param text the passage itself
 */
public record Passage(String id, String source, String text) {

    public Passage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(text, "text");
    }
}
