package parley;

import java.util.Arrays;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Parley's entry point. With no command it serves calls; {@code simulate} places a simulated call against a
 * running Parley; {@code demo} starts Parley on embedded defaults and calls it; {@code ingest} loads a folder
 * of documents into the shared knowledge store; {@code hash-password} prints an operator's password hash; {@code evaluate} scores how
 * well callers' words are understood on a labelled evaluation file.
 */
@SpringBootApplication(scanBasePackages = "parley")
@ConfigurationPropertiesScan
public class Parley {

    public static void main(String[] args) {
        String command = args.length > 0 ? args[0] : "";
        String[] rest = args.length > 0 ? Arrays.copyOfRange(args, 1, args.length) : args;
        switch (command) {
            case "simulate" -> System.exit(parley.simulator.SimulateCommand.run(rest));
            case "demo" -> System.exit(Demo.run(rest));
            case "ingest" -> System.exit(Ingest.run(rest));
            case "evaluate" -> System.exit(parley.conversation.UnderstandingEvaluation.run(rest));
            case "hash-password" -> System.exit(parley.records.PasswordHashes.run());
            default -> SpringApplication.run(Parley.class, args);
        }
    }
}
