package parley.conversation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import org.springframework.core.io.ClassPathResource;
import org.yaml.snakeyaml.Yaml;

/** The YAML files Parley ships in its jar (the common intents, unrelated talk), read once at class load. */
final class BundledYaml {

    private BundledYaml() {
    }

    @SuppressWarnings("unchecked")
    static <T> T read(String path) {
        try (InputStream in = new ClassPathResource(path).getInputStream()) {
            return (T) new Yaml().load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(path + " ships in Parley's jar", e);
        }
    }
}
