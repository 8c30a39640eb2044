package parley.telephony;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import parley.config.ParleyProperties;

/**
 * One-use tickets that tie a media stream to a call the voice webhook answered. A captured handshake
 * signature covers only the fixed stream URL and could be replayed to open any number of streams; with
 * signatures on, the webhook puts a ticket for the call's CallSid in the TwiML's {@code <Parameter>}s, and a
 * stream is taken only if its {@code start} carries a valid, unexpired ticket for its own CallSid, once.
 *
 * <p>The ticket is an HMAC under the auth token of the CallSid and the time it was issued, so any instance can
 * check it. Each instance remembers the tickets it has redeemed until they expire; Twilio keeps a call's stream
 * on one instance, so a replay to the same instance is refused.
 */
public final class StreamTickets {

    /** The {@code <Parameter>} that carries the ticket. */
    public static final String PARAMETER = "ParleyTicket";
    /** Twilio connects the stream within moments of the webhook's answer; a ticket older than this is stale. */
    static final Duration VALID_FOR = Duration.ofMinutes(2);
    private static final int MAX_REMEMBERED = 100_000;

    private final byte[] key;
    private final Clock clock;
    private final Map<String, Long> redeemed = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_REMEMBERED || eldest.getValue() < clock.millis() - VALID_FOR.toMillis();
        }
    };

    public StreamTickets(ParleyProperties.Twilio twilio, Clock clock) {
        this.key = twilio.signaturesRequired() ? twilio.authToken().getBytes(StandardCharsets.UTF_8) : null;
        this.clock = clock;
    }

    /** Whether streams need a ticket: only with an auth token, as for signatures. */
    public boolean required() {
        return key != null;
    }

    /** A ticket for the call the webhook is answering. */
    public String issue(String callSid) {
        long issued = clock.millis();
        return issued + "." + mac(callSid, issued);
    }

    /** Null if the stream of {@code callSid} may go on, or why it may not. */
    public synchronized String redeem(String callSid, String ticket) {
        if (!required()) {
            return null;
        }
        if (ticket == null || callSid == null) {
            return "no ticket: the voice webhook did not answer this call";
        }
        int dot = ticket.indexOf('.');
        long issued;
        try {
            issued = Long.parseLong(ticket.substring(0, Math.max(0, dot)));
        } catch (NumberFormatException e) {
            return "a malformed ticket";
        }
        if (!MessageDigest.isEqual(mac(callSid, issued).getBytes(StandardCharsets.US_ASCII),
                ticket.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
            return "a ticket that is not for this call";
        }
        long now = clock.millis();
        if (now - issued > VALID_FOR.toMillis()) {
            return "a ticket issued " + (now - issued) / 1000 + " s ago, older than " + VALID_FOR.toSeconds() + " s";
        }
        if (redeemed.putIfAbsent(ticket, issued) != null) {
            return "a ticket already used by another stream";
        }
        return null;
    }

    private String mac(String callSid, long issued) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = hmac.doFinal((callSid + "|" + issued).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
