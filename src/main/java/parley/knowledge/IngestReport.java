package parley.knowledge;

/**
 * What one ingest did.
 *
 * @param files Markdown and text files read
 * @param passages passages embedded and written; written again, they replace themselves
 */
public record IngestReport(int files, int passages) {
}
