package parley.outbound;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * When a lead may be called: between {@code from} and {@code until} on their own clock. Daylight-saving
 * changes are the zone's to resolve: a window that opens in a skipped hour opens when the clock resumes.
 */
public record CallingHours(ZoneId zone, LocalTime from, LocalTime until) {

    public CallingHours {
        if (!from.isBefore(until)) {
            throw new IllegalArgumentException("calling hours must start before they end: " + from + "-" + until);
        }
    }

    /** {@code now} itself when it is inside the window; otherwise the moment the window next opens. */
    public Instant nextAllowed(Instant now) {
        ZonedDateTime local = now.atZone(zone);
        LocalTime time = local.toLocalTime();
        if (!time.isBefore(from) && time.isBefore(until)) {
            return now;
        }
        ZonedDateTime opens = local.toLocalDate().atTime(from).atZone(zone);
        if (!time.isBefore(until)) {
            opens = local.toLocalDate().plusDays(1).atTime(from).atZone(zone);
        }
        return opens.toInstant();
    }
}
