package parley.records;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Operators' password hashes, as settings keep them: {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} (salt
 * and hash in base64), PBKDF2 with HMAC-SHA256 from the JDK. Slow on purpose, so that a copy of the settings
 * does not give the passwords away cheaply. {@code java -jar parley.jar hash-password} makes one.
 */
public final class PasswordHashes {

    private static final String SCHEME = "pbkdf2-sha256";
    static final int ITERATIONS = 210_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHashes() {
    }

    public static String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return SCHEME + "$" + ITERATIONS + "$" + Base64.getEncoder().encodeToString(salt) + "$"
                + Base64.getEncoder().encodeToString(derive(password, salt, ITERATIONS));
    }

    /** Whether {@code password} is the one {@code stored} was made from; a stored value not in the format never is. */
    public static boolean matches(String password, String stored) {
        String[] parts = stored.split("\\$");
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            return false;
        }
        try {
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            byte[] given = derive(password, Base64.getDecoder().decode(parts[2]), Integer.parseInt(parts[1]));
            return MessageDigest.isEqual(expected, given);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether {@code stored} is a hash in the format, so that a mistyped setting is found at start-up. */
    public static boolean wellFormed(String stored) {
        String[] parts = stored.split("\\$");
        return parts.length == 4 && parts[0].equals(SCHEME) && parts[1].matches("[1-9][0-9]*")
                && parts[2].matches("[A-Za-z0-9+/=]+") && parts[3].matches("[A-Za-z0-9+/=]+");
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, HASH_BITS)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has PBKDF2WithHmacSHA256", e);
        }
    }

    /** {@code java -jar parley.jar hash-password}: reads a password (hidden at a terminal) and prints its hash. */
    public static int run() {
        java.io.Console console = System.console();
        String password;
        if (console != null) {
            char[] typed = console.readPassword("Password: ");
            password = typed == null ? "" : new String(typed);
        } else {
            try {
                password = new String(System.in.readAllBytes(), StandardCharsets.UTF_8).strip();
            } catch (java.io.IOException e) {
                System.err.println("The password could not be read: " + e.getMessage());
                return 1;
            }
        }
        if (password.isEmpty()) {
            System.err.println("No password given");
            return 2;
        }
        System.out.println(hash(password));
        return 0;
    }
}
