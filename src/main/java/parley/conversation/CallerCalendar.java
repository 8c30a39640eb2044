package parley.conversation;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The calendar a caller speaks in: the day it is where they are, and the day their weeks start on. A day said
 * relative to today means, whatever weekday it is said on:
 * <ul>
 *   <li>"today", "tomorrow", "the day after tomorrow": that many days on;</li>
 *   <li>"Tuesday", "on Tuesday", "this coming Tuesday": the first Tuesday after today (said on a Tuesday, a
 *   week later: a caller who means today says "today");</li>
 *   <li>"this Tuesday": the Tuesday of the current week, today included; once it has passed, the next one;</li>
 *   <li>"next Tuesday", "Tuesday next week": the Tuesday of the week after the current one, so said on a
 *   Monday of a Monday-first week it is eight days on, said on the Saturday before it three;</li>
 *   <li>"Tuesday after next": the Tuesday of the week after that;</li>
 *   <li>"in two weeks", "in three days", "in a week": that many days on; with a weekday ("Tuesday in two
 *   weeks"), that weekday of the week it lands in.</li>
 * </ul>
 * Days are counted on the calendar, never as multiples of 24 hours, so a daylight-saving change between
 * today and the day named does not move it; the time said with it is the caller's wall-clock time.
 */
public record CallerCalendar(LocalDateTime now, DayOfWeek firstDayOfWeek) {

    /** A calendar at the start of {@code today}, for reading days (a time "in an hour" counts from midnight). */
    public CallerCalendar(LocalDate today, DayOfWeek firstDayOfWeek) {
        this(today.atStartOfDay(), firstDayOfWeek);
    }

    public LocalDate today() {
        return now.toLocalDate();
    }

    private static final String WEEKDAYS = "(monday|tuesday|wednesday|thursday|friday|saturday|sunday)";
    private static final Pattern NEXT_WEEKDAY = Pattern.compile(
            "\\bnext\\s+" + WEEKDAYS + "\\b|\\b" + WEEKDAYS + "\\s+(?:of\\s+)?next\\s+week\\b|\\bnext\\s+week[,\\s]+(?:on\\s+)?" + WEEKDAYS + "\\b");
    private static final Pattern WEEKDAY_AFTER_NEXT = Pattern.compile("\\b" + WEEKDAYS + "\\s+after\\s+next\\b");
    private static final Pattern THIS_WEEKDAY = Pattern.compile("\\bthis\\s+(?!coming\\b)" + WEEKDAYS + "\\b");
    private static final Pattern TODAY = Pattern.compile(
            "\\b(today|tonight|this (morning|afternoon|evening)|later on|end of the day)\\b");
    private static final String MONTHS = "(january|february|march|april|may|june|july|august|september|october"
            + "|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)";
    /** "the 14th", "on the 3rd", "December 3rd", "the 3rd of December", "next month on the 3rd". */
    private static final Pattern DAY_OF_MONTH = Pattern.compile(
            "\\b(?:" + MONTHS + "\\s+(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)?\\b|the\\s+(\\d{1,2})(?:st|nd|rd|th)\\b(?:\\s+of\\s+"
                    + MONTHS + ")?)");
    private static final Pattern ANY_WEEKDAY = Pattern.compile("\\b" + WEEKDAYS + "\\b");
    private static final Pattern IN_SOME_TIME = Pattern.compile(
            "\\bin\\s+(a|an|one|two|three|four|five|six|\\d{1,2})\\s+(day|days|week|weeks)\\b");
    private static final Map<String, Integer> COUNTS = Map.of("a", 1, "an", 1, "one", 1, "two", 2, "three", 3,
            "four", 4, "five", 5, "six", 6);

    /** Now where the caller is, by {@code clock}, in {@code zone}. */
    public static CallerCalendar at(Clock clock, ZoneId zone, DayOfWeek firstDayOfWeek) {
        return new CallerCalendar(LocalDateTime.now(clock.withZone(zone)), firstDayOfWeek);
    }

    /** The day {@code said} names, if it names one. */
    public Optional<LocalDate> day(String said) {
        LocalDate today = today();
        String lower = said.toLowerCase(Locale.ROOT);
        Matcher dated = DAY_OF_MONTH.matcher(lower);
        if (dated.find()) {
            return dayOfMonth(dated, lower.contains("next month"));
        }
        if (lower.contains("day after tomorrow")) {
            return Optional.of(today.plusDays(2));
        }
        if (lower.contains("tomorrow")) {
            return Optional.of(today.plusDays(1));
        }
        if (TODAY.matcher(lower).find()) {
            return Optional.of(today);
        }
        Optional<DayOfWeek> weekday = firstWeekday(ANY_WEEKDAY.matcher(lower));
        Matcher later = IN_SOME_TIME.matcher(lower);
        if (later.find()) {
            int count = COUNTS.getOrDefault(later.group(1), -1);
            long amount = count >= 0 ? count : Long.parseLong(later.group(1));
            LocalDate landed = later.group(2).startsWith("week") ? today.plusWeeks(amount) : today.plusDays(amount);
            return Optional.of(weekday.map(day -> inWeekOf(landed, day)).orElse(landed));
        }
        Optional<DayOfWeek> afterNext = firstWeekday(WEEKDAY_AFTER_NEXT.matcher(lower));
        if (afterNext.isPresent()) {
            return Optional.of(inWeekOf(today.plusWeeks(2), afterNext.get()));
        }
        Optional<DayOfWeek> next = firstWeekday(NEXT_WEEKDAY.matcher(lower));
        if (next.isPresent()) {
            return Optional.of(inWeekOf(today.plusWeeks(1), next.get()));
        }
        Optional<DayOfWeek> thisWeek = firstWeekday(THIS_WEEKDAY.matcher(lower));
        if (thisWeek.isPresent()) {
            LocalDate inThisWeek = inWeekOf(today, thisWeek.get());
            return Optional.of(inThisWeek.isBefore(today) ? today.with(TemporalAdjusters.next(thisWeek.get())) : inThisWeek);
        }
        return weekday.map(day -> today.with(TemporalAdjusters.next(day)));
    }

    /**
     * A day of the month, in the month named, else this month, or the next once it has passed (or when "next
     * month" was said); in the coming twelve months either way.
     */
    private Optional<LocalDate> dayOfMonth(Matcher dated, boolean nextMonth) {
        LocalDate today = today();
        String month = dated.group(1) != null ? dated.group(1) : dated.group(4);
        int day = Integer.parseInt(dated.group(2) != null ? dated.group(2) : dated.group(3));
        java.time.YearMonth when = java.time.YearMonth.from(today);
        if (month != null) {
            java.time.Month named = java.util.Arrays.stream(java.time.Month.values())
                    .filter(m -> m.name().toLowerCase(Locale.ROOT).startsWith(month)).findFirst().orElseThrow();
            when = when.withMonth(named.getValue());
        } else if (nextMonth) {
            when = when.plusMonths(1);
        }
        if (!when.isValidDay(day)) {
            return Optional.empty();
        }
        if (when.atDay(day).isBefore(today)) {
            when = month != null ? when.plusYears(1) : when.plusMonths(1);
        }
        return when.isValidDay(day) ? Optional.of(when.atDay(day)) : Optional.empty();
    }

    /** {@code weekday} in the caller's week that holds {@code date}. */
    private LocalDate inWeekOf(LocalDate date, DayOfWeek weekday) {
        LocalDate weekStart = date.with(TemporalAdjusters.previousOrSame(firstDayOfWeek));
        return weekStart.with(TemporalAdjusters.nextOrSame(weekday));
    }

    private static Optional<DayOfWeek> firstWeekday(Matcher matcher) {
        if (!matcher.find()) {
            return Optional.empty();
        }
        for (int group = 1; group <= matcher.groupCount(); group++) {
            if (matcher.group(group) != null) {
                return Optional.of(DayOfWeek.valueOf(matcher.group(group).toUpperCase(Locale.ROOT)));
            }
        }
        return Optional.empty();
    }
}
