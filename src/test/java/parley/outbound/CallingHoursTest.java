package parley.outbound;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The calling window on the lead's own clock, across midnight and daylight-saving changes. */
class CallingHoursTest {

    private static final CallingHours NEW_YORK = new CallingHours(ZoneId.of("America/New_York"),
            LocalTime.of(8, 0), LocalTime.of(21, 0));

    @Test
    void insideTheWindowIsNow() {
        Instant tenAm = Instant.parse("2026-11-25T15:00:00Z");
        assertThat(NEW_YORK.nextAllowed(tenAm)).isEqualTo(tenAm);
        assertThat(NEW_YORK.nextAllowed(Instant.parse("2026-11-25T13:00:00Z"))).as("8:00 sharp").isEqualTo(
                Instant.parse("2026-11-25T13:00:00Z"));
    }

    @Test
    void beforeTheWindowWaitsForItToOpenThatDayAndAfterItForTheNextDay() {
        assertThat(NEW_YORK.nextAllowed(Instant.parse("2026-11-25T11:30:00Z"))).as("6:30 am")
                .isEqualTo(Instant.parse("2026-11-25T13:00:00Z"));
        assertThat(NEW_YORK.nextAllowed(Instant.parse("2026-11-26T02:00:00Z"))).as("21:00 sharp is closed")
                .isEqualTo(Instant.parse("2026-11-26T13:00:00Z"));
        assertThat(NEW_YORK.nextAllowed(Instant.parse("2026-11-26T04:59:00Z"))).as("23:59")
                .isEqualTo(Instant.parse("2026-11-26T13:00:00Z"));
    }

    @Test
    void theWindowFollowsTheLeadsClockAcrossADaylightSavingChange() {
        // 1 November 2026: New York falls back from UTC-4 to UTC-5 at 2:00.
        assertThat(NEW_YORK.nextAllowed(Instant.parse("2026-11-01T03:00:00Z"))).as("23:00 on 31 October, EDT")
                .isEqualTo(Instant.parse("2026-11-01T13:00:00Z"));
        CallingHours tokyo = new CallingHours(ZoneId.of("Asia/Tokyo"), LocalTime.of(9, 0), LocalTime.of(18, 0));
        assertThat(tokyo.nextAllowed(Instant.parse("2026-11-25T15:00:00Z"))).as("midnight in Tokyo")
                .isEqualTo(Instant.parse("2026-11-26T00:00:00Z"));
    }

    @Test
    void aWindowThatEndsBeforeItStartsIsRefused() {
        assertThatThrownBy(() -> new CallingHours(ZoneId.of("UTC"), LocalTime.of(18, 0), LocalTime.of(9, 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
