package parley.records;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import parley.config.ParleyProperties;

/**
 * Operators' login sessions for the records API, kept in PostgreSQL so that every instance admits a session
 * any of them opened. A session is a random token the operator's browser holds in a cookie; the database keeps
 * only its SHA-256. Failed logins are counted there too, by client address, so a guesser is refused on every
 * instance at once.
 */
@Component
public class OperatorSessions {

    /** A guesser gets this many tries per address in {@link #FAILURE_WINDOW}; then it is refused. */
    public static final int MAX_FAILURES = 10;
    public static final Duration FAILURE_WINDOW = Duration.ofMinutes(10);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcTemplate database;
    private final Clock clock;
    /** Who logs in without naming themselves, with {@code operator-password}. */
    public static final String DEFAULT_OPERATOR = "operator";

    private final byte[] passwordSha256;
    private final Map<String, String> operators;
    /** Hashed once, when there are names: an unknown one costs a login what a known one does. */
    private final String nobody;
    private final Duration sessionLength;

    public OperatorSessions(JdbcTemplate database, Clock clock, ParleyProperties properties) {
        this.database = database;
        this.clock = clock;
        String password = properties.records().operatorPassword();
        this.passwordSha256 = password.isEmpty() ? null : sha256(password);
        this.operators = properties.records().operators() == null ? Map.of() : Map.copyOf(properties.records().operators());
        operators.forEach((name, hash) -> {
            if (!PasswordHashes.wellFormed(hash)) {
                throw new IllegalStateException("parley.records.operators." + name + " is not a password hash made by"
                        + " `java -jar parley.jar hash-password`");
            }
        });
        this.nobody = operators.isEmpty() ? null : PasswordHashes.hash("nobody has this password");
        this.sessionLength = properties.records().sessionLength();
    }

    /** The outcome of a login: the new session's token, or why there is none. */
    public sealed interface Login {
        record Opened(String token, Duration lasts) implements Login {
        }

        record Refused() implements Login {
        }

        record Throttled() implements Login {
        }
    }

    /** Whether operators can log in at all: a password or a named operator is set. */
    public boolean enabled() {
        return passwordSha256 != null || !operators.isEmpty();
    }

    /** Opens a session for {@code operator} (null: the one with {@code operator-password}) if the password is theirs. */
    public Login logIn(String operator, String password, String address) {
        Instant now = clock.instant();
        Timestamp windowStart = Timestamp.from(now.minus(FAILURE_WINDOW));
        database.update("DELETE FROM login_failure WHERE failed_at < ?", windowStart);
        Integer failures = database.queryForObject(
                "SELECT count(*) FROM login_failure WHERE address = ? AND failed_at >= ?", Integer.class, address,
                windowStart);
        if (failures != null && failures >= MAX_FAILURES) {
            return new Login.Throttled();
        }
        if (password == null || !passwordMatches(operator, password)) {
            database.update("INSERT INTO login_failure (address, failed_at) VALUES (?, ?)", address,
                    Timestamp.from(now));
            return new Login.Refused();
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        database.update("DELETE FROM operator_session WHERE expires_at <= ?", Timestamp.from(now));
        database.update("INSERT INTO operator_session (token_sha256, opened_at, expires_at, operator) VALUES (?, ?, ?, ?)",
                hex(token), Timestamp.from(now), Timestamp.from(now.plus(sessionLength)),
                operator == null ? DEFAULT_OPERATOR : operator);
        return new Login.Opened(token, sessionLength);
    }

    private boolean passwordMatches(String operator, String password) {
        if (operator == null) {
            // Compared as digests, in constant time: the time taken tells nothing of how much of a guess was right.
            return passwordSha256 != null && MessageDigest.isEqual(passwordSha256, sha256(password));
        }
        if (nobody == null) {
            return false;
        }
        String hash = operators.get(operator);
        boolean matches = PasswordHashes.matches(password, hash == null ? nobody : hash);
        return hash != null && matches;
    }

    /** Whether {@code token} names a session that is open now. */
    public boolean admits(String token) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        Integer open = database.queryForObject(
                "SELECT count(*) FROM operator_session WHERE token_sha256 = ? AND expires_at > ?", Integer.class,
                hex(token), Timestamp.from(clock.instant()));
        return open != null && open > 0;
    }

    public void logOut(String token) {
        if (token != null) {
            database.update("DELETE FROM operator_session WHERE token_sha256 = ?", hex(token));
        }
    }

    private static String hex(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
