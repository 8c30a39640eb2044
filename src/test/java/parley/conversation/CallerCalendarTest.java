package parley.conversation;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** What a day said relative to today means, said on each weekday, across month and year ends and DST. */
class CallerCalendarTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @ParameterizedTest(name = "said on {0}: next Tuesday {1}, this Friday {2}, Tuesday {3}, tomorrow {4}, in two weeks {5}")
    @CsvSource({
            // A Sunday-first week from Sunday 29 November to Saturday 5 December 2026, over the month's end.
            "2026-11-29, 2026-12-08, 2026-12-04, 2026-12-01, 2026-11-30, 2026-12-13",
            "2026-11-30, 2026-12-08, 2026-12-04, 2026-12-01, 2026-12-01, 2026-12-14",
            "2026-12-01, 2026-12-08, 2026-12-04, 2026-12-08, 2026-12-02, 2026-12-15",
            "2026-12-02, 2026-12-08, 2026-12-04, 2026-12-08, 2026-12-03, 2026-12-16",
            "2026-12-03, 2026-12-08, 2026-12-04, 2026-12-08, 2026-12-04, 2026-12-17",
            "2026-12-04, 2026-12-08, 2026-12-04, 2026-12-08, 2026-12-05, 2026-12-18",
            "2026-12-05, 2026-12-08, 2026-12-11, 2026-12-08, 2026-12-06, 2026-12-19",
            // Over the year's end: Thursday 31 December 2026.
            "2026-12-31, 2027-01-05, 2027-01-01, 2027-01-05, 2027-01-01, 2027-01-14"})
    void relativeDaysSaidOnEachWeekday(LocalDate today, LocalDate nextTuesday, LocalDate thisFriday,
                                       LocalDate tuesday, LocalDate tomorrow, LocalDate inTwoWeeks) {
        CallerCalendar calendar = new CallerCalendar(today, DayOfWeek.SUNDAY);
        assertThat(calendar.day("Next Tuesday works")).contains(nextTuesday);
        assertThat(calendar.day("Tuesday next week")).contains(nextTuesday);
        assertThat(calendar.day("how about this Friday?")).contains(thisFriday);
        assertThat(calendar.day("Tuesday is good")).contains(tuesday);
        assertThat(calendar.day("this coming Tuesday")).contains(tuesday);
        assertThat(calendar.day("Tomorrow at 10")).contains(tomorrow);
        assertThat(calendar.day("in two weeks")).contains(inTwoWeeks);
    }

    @Test
    void aMondayFirstWeekMakesNextTuesdaySaidOnSundayTheDayAfterTomorrow() {
        CallerCalendar sunday = new CallerCalendar(LocalDate.of(2026, 11, 29), DayOfWeek.MONDAY);
        assertThat(sunday.day("next Tuesday")).contains(LocalDate.of(2026, 12, 1));
        assertThat(sunday.day("this Friday")).contains(LocalDate.of(2026, 11, 27).plusWeeks(1));
    }

    @Test
    void otherSpansAndPlainDays() {
        CallerCalendar wednesday = new CallerCalendar(LocalDate.of(2026, 11, 25), DayOfWeek.SUNDAY);
        assertThat(wednesday.day("the day after tomorrow")).contains(LocalDate.of(2026, 11, 27));
        assertThat(wednesday.day("today at 4")).contains(LocalDate.of(2026, 11, 25));
        assertThat(wednesday.day("this Wednesday")).contains(LocalDate.of(2026, 11, 25));
        assertThat(wednesday.day("Tuesday after next")).contains(LocalDate.of(2026, 12, 8));
        assertThat(wednesday.day("in a week")).contains(LocalDate.of(2026, 12, 2));
        assertThat(wednesday.day("in 3 days")).contains(LocalDate.of(2026, 11, 28));
        assertThat(wednesday.day("Thursday in two weeks")).contains(LocalDate.of(2026, 12, 10));
        assertThat(wednesday.day("sometime next week")).isEmpty();
        assertThat(wednesday.day("I'm busy")).isEmpty();
    }

    @Test
    void todayIsTheCallersDayNotTheServers() {
        // 23:30 on Friday 30 October in New York is already Saturday in UTC.
        Clock lateFriday = Clock.fixed(Instant.parse("2026-10-31T03:30:00Z"), ZoneOffset.UTC);
        assertThat(CallerCalendar.at(lateFriday, NEW_YORK, DayOfWeek.SUNDAY).today()).isEqualTo(LocalDate.of(2026, 10, 30));
        assertThat(CallerCalendar.at(lateFriday, ZoneId.of("Australia/Sydney"), DayOfWeek.SUNDAY).today())
                .isEqualTo(LocalDate.of(2026, 10, 31));

        CallerCalendars calendars = new CallerCalendars(lateFriday, ZoneOffset.UTC, DayOfWeek.SUNDAY);
        assertThat(calendars.forCall(Map.of(CallerCalendars.TIME_ZONE_PARAMETER, "America/New_York")).today())
                .isEqualTo(LocalDate.of(2026, 10, 30));
        assertThat(calendars.forCall(Map.of(CallerCalendars.TIME_ZONE_PARAMETER, "Mars/Olympus")).today())
                .as("a zone that does not exist falls back to the configured one").isEqualTo(LocalDate.of(2026, 10, 31));
        assertThat(calendars.forCall(Map.of()).today()).isEqualTo(LocalDate.of(2026, 10, 31));
    }

    @Test
    void aDaylightSavingChangeMovesNeitherTheDayNorTheWallClockTime() {
        // Saturday 31 October 2026, 23:30 EDT; New York falls back to EST at 02:00 the next morning.
        Clock saturdayNight = Clock.fixed(Instant.parse("2026-11-01T03:30:00Z"), ZoneOffset.UTC);
        CallerCalendar calendar = CallerCalendar.at(saturdayNight, NEW_YORK, DayOfWeek.SUNDAY);
        LocalDateTime tomorrowAtTen = SlotParsers.dateTime("tomorrow at 10 am", calendar, false).orElseThrow();
        assertThat(tomorrowAtTen).isEqualTo(LocalDateTime.of(2026, 11, 1, 10, 0));
        assertThat(ZonedDateTime.of(tomorrowAtTen, NEW_YORK).toInstant())
                .as("10:00 EST, 25 hours of clock time away").isEqualTo(Instant.parse("2026-11-01T15:00:00Z"));

        // Spring forward: said on Saturday 13 March 2027, clocks change on the 14th; Monday is still at 9:00.
        CallerCalendar march = new CallerCalendar(LocalDate.of(2027, 3, 13), DayOfWeek.SUNDAY);
        assertThat(SlotParsers.dateTime("next Monday at 9 am", march, false)).contains(LocalDateTime.of(2027, 3, 15, 9, 0));
        assertThat(SlotParsers.dateTime("in two weeks at 3", new CallerCalendar(LocalDate.of(2027, 3, 1), DayOfWeek.SUNDAY), false))
                .contains(LocalDateTime.of(2027, 3, 15, 15, 0));
    }

    @ParameterizedTest(name = "said Wednesday 25 November at 10:00: \"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
            "The 14th at noon.                       | 2026-12-14T12:00",
            "December 3rd at 2 pm.                   | 2026-12-03T14:00",
            "On the 30th, at 9:30.                   | 2026-11-30T09:30",
            "Next month, on the 3rd, after 4.        | 2026-12-03T16:00",
            "Tomorrow afternoon.                     | 2026-11-26T14:00",
            "Around 10 tomorrow morning.             | 2026-11-26T10:00",
            "Tonight after 5.                        | 2026-11-25T17:00",
            "Next week, Wednesday morning.           | 2026-12-02T09:00",
            "In 30 minutes.                          | 2026-11-25T10:30",
            "Give me an hour.                        | 2026-11-25T11:00",
            "Give it an hour.                        | 2026-11-25T11:00",
            "Not Monday. Tuesday at 10.              | 2026-12-01T10:00",
            "Quarter to 4 on Friday.                 | 2026-11-27T15:45",
            "Tuesday, 10 o'clock.                    | 2026-12-01T10:00",
            "Um, this time next week should be fine. | 2026-12-02T10:00",
            "At 2:15.                                | 2026-11-25T14:15",
            "At 9.                                   | 2026-11-26T09:00",
            "Friday.                                 | 2026-11-27T10:00"})
    void aPartialSlotTakesADayOrATimeAlone(String said, LocalDateTime meant) {
        CallerCalendar wednesdayMorning = new CallerCalendar(LocalDateTime.of(2026, 11, 25, 10, 0), DayOfWeek.SUNDAY);
        assertThat(SlotParsers.dateTime(said, wednesdayMorning, true)).contains(meant);
    }

    @Test
    void aWholeSlotNeedsTheDayAndTheTime() {
        CallerCalendar wednesdayMorning = new CallerCalendar(LocalDateTime.of(2026, 11, 25, 10, 0), DayOfWeek.SUNDAY);
        assertThat(SlotParsers.dateTime("Friday.", wednesdayMorning, false)).isEmpty();
        assertThat(SlotParsers.dateTime("At 2:15.", wednesdayMorning, false)).isEmpty();
        assertThat(SlotParsers.dateTime("Friday at 2:15.", wednesdayMorning, false))
                .contains(LocalDateTime.of(2026, 11, 27, 14, 15));
        assertThat(SlotParsers.dateTime("We do about 40 a week.", wednesdayMorning, true))
                .as("a count is not a time").isEmpty();
        assertThat(SlotParsers.dateTime("Not tomorrow.", wednesdayMorning, true)).as("a day ruled out").isEmpty();
        assertThat(SlotParsers.dateTime("Next Wednesday at half 2, if that suits.", wednesdayMorning, false))
                .as("half 2 is half past two").contains(LocalDateTime.of(2026, 12, 2, 14, 30));
        assertThat(SlotParsers.dateTime("Reckon Thursday round 9 in the mornin' would work.", wednesdayMorning, false))
                .contains(LocalDateTime.of(2026, 11, 26, 9, 0));
    }

    @Test
    void anAddressSpelledOutAsWellAsSaidIsReadOnce() {
        assertThat(SlotParsers.email("It's, um, t dot nguyen, N-G-U-Y-E-N, at fastlane dot com dot au."))
                .contains("t.nguyen@fastlane.com.au");
        assertThat(SlotParsers.email("d dot pryce, that's P R Y C E, at pryce haulage dot com."))
                .contains("d.pryce@prycehaulage.com");
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
            "It's jane dot doe at example dot com.                                      | jane.doe@example.com",
            "Uh, just use the general one, info at castle logistics dot com. I check it. | info@castlelogistics.com",
            "It's, uh, sarah underscore b at, um, greenvale dairy dot ie.               | sarah_b@greenvaledairy.ie",
            "j dot okafor at brightline dot co dot uk. No, with a hyphen. j dot okafor at bright hyphen line dot co dot uk. | j.okafor@bright-line.co.uk",
            "Sure, it's ops@riverside.com.                                              | ops@riverside.com"})
    void readsAnAddressAsItIsSaid(String said, String address) {
        assertThat(SlotParsers.email(said)).contains(address);
    }
}
