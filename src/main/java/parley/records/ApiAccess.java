package parley.records;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.springframework.stereotype.Component;
import parley.config.ParleyProperties;

/**
 * Who may read what operators read (the records API, the live feed): a tool with {@code Authorization: Bearer
 * <parley.records.api-token>}, or an operator with an open session's cookie. With neither a token nor a
 * password set, nobody: records are not public. A session's check reads the database.
 */
@Component
public class ApiAccess {

    /** The cookie an operator's session travels in. */
    public static final String COOKIE = "parley_session";

    private final byte[] expected;
    private final OperatorSessions sessions;

    public ApiAccess(ParleyProperties properties, OperatorSessions sessions) {
        String token = properties.records().apiToken();
        this.expected = token.isEmpty() ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.sessions = sessions;
    }

    /** Whether a request with these {@code Authorization} and {@code Cookie} headers (either may be null) may read. */
    public boolean admits(String authorization, String cookies) {
        // Compared in constant time: the time taken must not tell how much of a guessed token was right.
        if (expected != null && authorization != null
                && MessageDigest.isEqual(expected, authorization.getBytes(StandardCharsets.UTF_8))) {
            return true;
        }
        return sessions.enabled() && sessions.admits(sessionToken(cookies));
    }

    /** The session's token in a {@code Cookie} header, or null. */
    public static String sessionToken(String cookies) {
        if (cookies == null) {
            return null;
        }
        for (String cookie : cookies.split(";")) {
            String pair = cookie.strip();
            if (pair.startsWith(COOKIE + "=")) {
                return pair.substring(COOKIE.length() + 1);
            }
        }
        return null;
    }
}
