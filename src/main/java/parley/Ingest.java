package parley;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import parley.knowledge.IngestReport;
import parley.knowledge.KnowledgeIngest;
import parley.knowledge.KnowledgeSettings;

/**
 * {@code java -jar parley.jar ingest FOLDER [settings]}: reads a folder of Markdown or text into the shared
 * Qdrant collection every Parley instance searches. Without a Qdrant ({@code parley.knowledge.qdrant-host}) there
 * is nothing shared to load: each instance reads its own knowledge folder at start-up.
 */
public final class Ingest {

    private Ingest() {
    }

    public static int run(String[] args) {
        if (args.length == 0 || args[0].startsWith("--")) {
            System.err.println("Usage: parley ingest FOLDER [--parley.knowledge.qdrant-host=HOST ...]");
            return 2;
        }
        Path folder = Path.of(args[0]);
        if (!Files.isDirectory(folder)) {
            System.err.println("No folder at " + folder.toAbsolutePath());
            return 2;
        }
        int port = Demo.freePort();
        List<String> settings = new ArrayList<>(List.of("--spring.main.banner-mode=off",
                "--logging.level.root=WARN", "--server.address=127.0.0.1", "--server.port=" + port,
                "--parley.public-url=http://127.0.0.1:" + port, "--parley.conversation.knowledge-folder=",
                "--parley.stt.sandbox.enabled=true"));
        settings.addAll(List.of(args).subList(1, args.length));
        try (ConfigurableApplicationContext parley = new SpringApplicationBuilder(Parley.class)
                .run(settings.toArray(String[]::new))) {
            KnowledgeSettings knowledge = parley.getBean(KnowledgeSettings.class);
            if (knowledge.qdrantHost().isBlank()) {
                System.err.println("No Qdrant to load into: set parley.knowledge.qdrant-host (QDRANT_HOST). Without"
                        + " one, each Parley reads parley.conversation.knowledge-folder at start-up.");
                return 2;
            }
            IngestReport report = parley.getBean(KnowledgeIngest.class).ingest(folder);
            System.out.printf("Loaded %d passages from %d files in %s into Qdrant %s:%d, collection %s%n",
                    report.passages(), report.files(), folder, knowledge.qdrantHost(), knowledge.qdrantPort(),
                    knowledge.collection());
            return 0;
        } catch (Exception e) {
            System.err.println("Ingest failed: " + e.getMessage());
            return 1;
        }
    }
}
