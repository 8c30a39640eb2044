package parley.hearing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/** What loading each of Parley's ONNX models (the build fetches them into the jar) has in common. */
final class OnnxModels {

    private OnnxModels() {
    }

    /**
     * The model the Maven build put on the classpath.
     *
     * @throws IllegalStateException if it is not there, saying how to get it
     */
    static byte[] bundled(ClassLoader classLoader, String resource, String model, String fetchScript) {
        try (InputStream in = classLoader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("The " + model + " model " + resource + " is not on the classpath. "
                        + "Parley's Maven build fetches it into target/classes (src/build/" + fetchScript + ", "
                        + "in the generate-resources phase): build with ./mvnw -q -DskipTests package, or run "
                        + "./mvnw generate-resources after a clean or when an IDE compiled the classes.");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the " + model + " model " + resource, e);
        }
    }

    /**
     * A session that was being set up failed: it is closed (if it was created) and the failure is given back as
     * the constructor's {@link IllegalArgumentException}.
     */
    static IllegalArgumentException unusable(String model, OrtSession created, Exception failure) {
        if (created != null) {
            try {
                created.close();
            } catch (OrtException e) {
                failure.addSuppressed(e);
            }
        }
        return failure instanceof IllegalArgumentException iae ? iae
                : new IllegalArgumentException("Not a usable " + model + " model: " + failure.getMessage(), failure);
    }
}
