package parley.records;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.stereotype.Component;
import parley.config.ParleyProperties;

/**
 * Records the database could not take, kept on local disk (one JSON line each) until it can: a database outage
 * loses no call. Writes are idempotent, so a record replayed after it was in fact written is kept once.
 * Appends and takes are synchronised: calls end on many threads.
 */
@Component
public class RecordJournal {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path journal;

    public RecordJournal(ParleyProperties properties) throws IOException {
        Path folder = Path.of(properties.records().journalFolder()).toAbsolutePath();
        Files.createDirectories(folder);
        this.journal = folder.resolve("unwritten-records.jsonl");
    }

    /** Keeps a record for later. */
    public synchronized void keep(CallRecordRows rows) {
        try {
            Files.writeString(journal, JSON.writeValueAsString(rows) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("the record of call " + rows.call().callSid() + " could not be journalled", e);
        }
    }

    /** Takes every record kept so far out of the journal, to be written again (and kept again if that fails). */
    public synchronized List<CallRecordRows> takeAll() {
        if (!Files.exists(journal)) {
            return List.of();
        }
        try {
            Path taken = journal.resolveSibling(journal.getFileName() + ".taken");
            Files.move(journal, taken, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            List<CallRecordRows> rows = new ArrayList<>();
            for (String line : Files.readAllLines(taken, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    rows.add(JSON.readValue(line, CallRecordRows.class));
                }
            }
            Files.delete(taken);
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("the journal of unwritten records could not be read", e);
        }
    }

    /** How many records wait in the journal. */
    public synchronized int waiting() {
        try {
            return Files.exists(journal) ? (int) Files.readAllLines(journal).stream().filter(l -> !l.isBlank()).count() : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
