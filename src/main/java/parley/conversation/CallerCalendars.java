package parley.conversation;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.ZoneId;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each caller's calendar for the turn being answered: today by the one injectable clock, in the caller's time
 * zone (the call's {@code TimeZone} parameter, an IANA id such as {@code America/Chicago}, or else the
 * configured zone).
 */
public final class CallerCalendars {

    /** The custom parameter of Twilio's {@code start} message (or the dial request) that names the zone. */
    public static final String TIME_ZONE_PARAMETER = "TimeZone";
    private static final Logger LOG = LoggerFactory.getLogger(CallerCalendars.class);

    private final Clock clock;
    private final ZoneId defaultZone;
    private final DayOfWeek firstDayOfWeek;

    public CallerCalendars(Clock clock, ZoneId defaultZone, DayOfWeek firstDayOfWeek) {
        this.clock = clock;
        this.defaultZone = defaultZone;
        this.firstDayOfWeek = firstDayOfWeek;
    }

    public CallerCalendar forCall(Map<String, String> callParameters) {
        return CallerCalendar.at(clock, zone(callParameters.get(TIME_ZONE_PARAMETER)), firstDayOfWeek);
    }

    private ZoneId zone(String named) {
        if (named == null || named.isBlank()) {
            return defaultZone;
        }
        try {
            return ZoneId.of(named.trim());
        } catch (DateTimeException e) {
            LOG.warn("Call parameter {}={} is not a time zone; reading dates in {}", TIME_ZONE_PARAMETER, named,
                    defaultZone);
            return defaultZone;
        }
    }
}
