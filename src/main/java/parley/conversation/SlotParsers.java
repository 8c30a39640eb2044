package parley.conversation;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads typed slot values out of what the caller said, as a recognizer writes it: with or without smart
 * formatting ("jane@example.com" or "jane at example dot com", "555 0134" or "five five five").
 */
public final class SlotParsers {

    private static final Pattern EMAIL = Pattern.compile("([\\w.+-]+)@([\\w-]+(?:\\.[\\w-]+)+)");
    /**
     * "jane dot doe at example dot com"; the domain's first part may be words ("castle logistics dot com"), which are
     * run together, as they are in the address.
     */
    private static final Pattern SPOKEN_EMAIL = Pattern.compile(
            "(?<![\\w'])([a-z0-9][a-z0-9._-]*(?:\\s+dot\\s+[a-z0-9._-]+)*)\\s+at\\s+((?:[a-z0-9-]+\\s+){0,3}?[a-z0-9-]+"
                    + "(?:\\s+dot\\s+[a-z0-9-]+)+)",
            Pattern.CASE_INSENSITIVE);
    /** Fillers and commas, taken out before an address is looked for. */
    private static final Pattern ADDRESS_FILLER = Pattern.compile("(?i),|\\b(?:um|uh|er|erm)\\b");
    /** A word spelled out letter by letter ("N-G-U-Y-E-N", "P R Y C E"), which callers say after the word itself. */
    private static final Pattern SPELLED = Pattern.compile("\\b[A-Z](?:[- ][A-Z]){2,}\\b");
    private static final Pattern SAID_TWICE = Pattern.compile("\\b(\\w+)[,\\s]+\\1\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern DIGITS = Pattern.compile("\\+?[\\d(][\\d\\s().-]{5,}\\d");
    private static final Map<String, String> DIGIT_WORDS = Map.ofEntries(Map.entry("zero", "0"), Map.entry("oh", "0"),
            Map.entry("one", "1"), Map.entry("two", "2"), Map.entry("three", "3"), Map.entry("four", "4"),
            Map.entry("five", "5"), Map.entry("six", "6"), Map.entry("seven", "7"), Map.entry("eight", "8"),
            Map.entry("nine", "9"));
    private static final Pattern NAME = Pattern.compile(
            "(?:my name is|this is|i am|i'm|it's|call me)\\s+([A-Za-z][A-Za-z'-]*(?:\\s+[A-Z][A-Za-z'-]*)?)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern TIME = Pattern.compile(
            "\\b(\\d{1,2})(?::(\\d{2}))?\\s*(a\\.?m\\.?|p\\.?m\\.?)?|\\b(noon|midday)\\b", Pattern.CASE_INSENSITIVE);
    private static final Map<String, Integer> HOUR_WORDS = Map.ofEntries(Map.entry("one", 1), Map.entry("two", 2),
            Map.entry("three", 3), Map.entry("four", 4), Map.entry("five", 5), Map.entry("six", 6),
            Map.entry("seven", 7), Map.entry("eight", 8), Map.entry("nine", 9), Map.entry("ten", 10),
            Map.entry("eleven", 11), Map.entry("twelve", 12));
    private static final Pattern HOUR_WORD = Pattern.compile(
            "\\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\\s*(?:o'clock)?\\s*(am|pm|in the morning|in the afternoon)?\\b",
            Pattern.CASE_INSENSITIVE);

    /** When a day is named with no time, for a slot that takes that. */
    static final LocalTime START_OF_DAY = LocalTime.of(10, 0);
    private static final Pattern TIME_LEAD_IN = Pattern.compile(
            "\\b(at|around|round|about|after|before|by|say|until|till|from|maybe|like|ish)\\s+$");
    private static final Pattern PART_OF_DAY = Pattern.compile(
            "\\b(morning|mornin'?|lunchtime|lunch|afternoon|end of the day|evening|tonight)(?=\\W|$)");
    /** "half 2" (British for half past two), "half past 2", "quarter past 3", "quarter to 4". */
    private static final Pattern HALF_OR_QUARTER = Pattern.compile(
            "\\b(half past|half|quarter past|quarter after|quarter to|quarter of)\\s+(\\d{1,2}|one|two|three|four|five|six"
                    + "|seven|eight|nine|ten|eleven|twelve)\\b");
    private static final Pattern O_CLOCK = Pattern.compile("\\s*o'?clock");
    /** "this time next week", "same time tomorrow": the day, at the time it is now. */
    private static final Pattern SAME_TIME = Pattern.compile("\\b(?:this|same) time (tomorrow|next week)\\b");
    /** A day ruled out ("not tomorrow", "anything but Monday") is not the day meant. */
    private static final Pattern RULED_OUT_DAY = Pattern.compile(
            "\\b(?:not|no|except|anything but)\\s+(?:on\\s+)?(?:this\\s+|next\\s+)?(?:today|tomorrow|monday|tuesday|wednesday"
                    + "|thursday|friday|saturday|sunday)\\b");
    private static final Pattern FROM_NOW = Pattern.compile(
            "\\b(?:in|give me|give it|after|call me in)\\s+(?:about\\s+|another\\s+)?(an|a|one|half an|\\d{1,3})\\s+(hours?|minutes?|mins?)\\b");

    private SlotParsers() {
    }

    /** The slot's value in {@code said}, if there is one; relative dates are read in the caller's calendar. */
    public static Optional<Object> parse(SalesScript.Slot slot, String said, CallerCalendar calendar) {
        return switch (slot.type()) {
            case EMAIL -> email(said).map(Object.class::cast);
            case PHONE -> phone(said).map(Object.class::cast);
            case NAME -> name(said).map(Object.class::cast);
            case DATETIME -> dateTime(said, calendar, slot.partial()).map(Object.class::cast);
            case ENUM -> slot.values().stream()
                    .filter(value -> said.toLowerCase(Locale.ROOT).contains(value.toLowerCase(Locale.ROOT)))
                    .findFirst().map(Object.class::cast);
            case TEXT -> said.isBlank() ? Optional.empty() : Optional.of(said.trim());
        };
    }

    static Optional<String> email(String said) {
        Matcher written = EMAIL.matcher(said);
        if (written.find()) {
            return Optional.of(written.group(1).toLowerCase(Locale.ROOT) + "@" + written.group(2).toLowerCase(Locale.ROOT));
        }
        String unspelled = SPELLED.matcher(said).replaceAll(m -> m.group().replaceAll("[- ]", ""));
        String plain = SAID_TWICE.matcher(ADDRESS_FILLER.matcher(unspelled).replaceAll(" ")
                .replaceAll("(?i)(that's|that is|spelled)\\s+", "")).replaceAll("$1")
                .replaceAll("(?i)\\s+underscore\\s+", "_").replaceAll("(?i)\\s+(?:hyphen|dash)\\s+", "-")
                .replaceAll("\\s+", " ");
        // The last address said: callers correct themselves ("No, hang on, with a hyphen...").
        Matcher spoken = SPOKEN_EMAIL.matcher(plain);
        String address = null;
        while (spoken.find()) {
            String local = spoken.group(1).replaceAll("(?i)\\s+dot\\s+", ".");
            String domain = spoken.group(2).replaceAll("(?i)\\s+dot\\s+", ".").replaceAll("\\s+", "");
            address = (local + "@" + domain).toLowerCase(Locale.ROOT);
        }
        return Optional.ofNullable(address);
    }

    static Optional<String> phone(String said) {
        Matcher written = DIGITS.matcher(said);
        if (written.find()) {
            String digits = written.group().replaceAll("[^\\d+]", "");
            if (digits.replace("+", "").length() >= 7) {
                return Optional.of(digits);
            }
        }
        StringBuilder spoken = new StringBuilder();
        for (String word : said.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            if (DIGIT_WORDS.containsKey(word)) {
                spoken.append(DIGIT_WORDS.get(word));
            } else if (word.matches("\\d+")) {
                spoken.append(word);
            }
        }
        return spoken.length() >= 7 ? Optional.of(spoken.toString()) : Optional.empty();
    }

    static Optional<String> name(String said) {
        Matcher name = NAME.matcher(said);
        if (!name.find()) {
            return Optional.empty();
        }
        StringBuilder proper = new StringBuilder();
        for (String part : name.group(1).split("\\s+")) {
            proper.append(proper.isEmpty() ? "" : " ").append(Character.toUpperCase(part.charAt(0)))
                    .append(part.substring(1));
        }
        return Optional.of(proper.toString());
    }

    /**
     * A day named as the caller's calendar reads it, and a time: both, or nothing, unless the slot is
     * {@code partial}: then a day alone is that day at {@link #START_OF_DAY}, and a time alone is today's, or
     * tomorrow's once it has passed. A time from now ("in an hour", "give me 30 minutes") is both at once.
     */
    static Optional<LocalDateTime> dateTime(String said, CallerCalendar calendar, boolean partial) {
        String lower = RULED_OUT_DAY.matcher(said.toLowerCase(Locale.ROOT)).replaceAll(" ");
        Matcher fromNow = FROM_NOW.matcher(lower);
        if (fromNow.find()) {
            int count = fromNow.group(1).startsWith("half") ? 30
                    : fromNow.group(1).matches("\\d+") ? Integer.parseInt(fromNow.group(1)) : 1;
            boolean hours = fromNow.group(2).startsWith("hour") && !fromNow.group(1).startsWith("half");
            return Optional.of(calendar.now().plusMinutes(hours ? 60L * count : count).withSecond(0).withNano(0));
        }
        Matcher sameTime = SAME_TIME.matcher(lower);
        if (sameTime.find()) {
            return Optional.of(calendar.now().plusDays(sameTime.group(1).equals("tomorrow") ? 1 : 7).withSecond(0)
                    .withNano(0));
        }
        Optional<LocalDate> day = calendar.day(lower);
        Optional<LocalTime> time = time(lower);
        if (day.isPresent() && time.isPresent()) {
            return Optional.of(LocalDateTime.of(day.get(), time.get()));
        }
        if (!partial) {
            return Optional.empty();
        }
        if (day.isPresent()) {
            return Optional.of(LocalDateTime.of(day.get(), START_OF_DAY));
        }
        return time.map(at -> {
            LocalDateTime today = LocalDateTime.of(calendar.today(), at);
            return today.isAfter(calendar.now()) ? today : today.plusDays(1);
        });
    }

    private static Optional<LocalTime> time(String lower) {
        Matcher halfOrQuarter = HALF_OR_QUARTER.matcher(lower);
        if (halfOrQuarter.find()) {
            String hourSaid = halfOrQuarter.group(2);
            int hour = hourSaid.matches("\\d+") ? Integer.parseInt(hourSaid) : HOUR_WORDS.get(hourSaid);
            String which = halfOrQuarter.group(1);
            LocalTime at = clock(hour, 0, partOfDay(lower));
            return Optional.of(which.startsWith("half") ? at.plusMinutes(30)
                    : which.endsWith("to") || which.endsWith("of") ? at.minusMinutes(15) : at.plusMinutes(15));
        }
        Matcher numeric = TIME.matcher(lower);
        while (numeric.find()) {
            if (numeric.group(4) != null) {
                return Optional.of(LocalTime.NOON);
            }
            int hour = Integer.parseInt(numeric.group(1));
            int minute = numeric.group(2) == null ? 0 : Integer.parseInt(numeric.group(2));
            String half = numeric.group(3);
            // A bare number is a time only after a word that places it ("at 3", "after 5"); "forty a week" and
            // "in 2 weeks" are not times.
            if (half == null && numeric.group(2) == null && !TIME_LEAD_IN.matcher(lower.substring(0, numeric.start())).find()
                    && !O_CLOCK.matcher(lower).region(numeric.end(), lower.length()).lookingAt() || hour > 23) {
                continue;
            }
            Boolean afternoon = half != null ? Boolean.valueOf(half.startsWith("p")) : partOfDay(lower);
            return Optional.of(clock(hour, minute, afternoon));
        }
        Matcher words = HOUR_WORD.matcher(lower);
        if (words.find() && words.group(2) != null) {
            boolean afternoon = words.group(2).startsWith("p") || words.group(2).contains("afternoon");
            return Optional.of(clock(HOUR_WORDS.get(words.group(1)), 0, afternoon));
        }
        Matcher part = PART_OF_DAY.matcher(lower);
        if (part.find()) {
            return Optional.of(switch (part.group(1)) {
                case "morning", "mornin", "mornin'" -> LocalTime.of(9, 0);
                case "lunch", "lunchtime" -> LocalTime.NOON;
                case "afternoon" -> LocalTime.of(14, 0);
                case "end of the day" -> LocalTime.of(16, 0);
                case "evening" -> LocalTime.of(18, 0);
                default -> LocalTime.of(19, 0);
            });
        }
        return Optional.empty();
    }

    /** "in the morning" makes a bare hour the morning's, "this afternoon" or "tonight" the afternoon's. */
    private static Boolean partOfDay(String lower) {
        Matcher part = PART_OF_DAY.matcher(lower);
        if (!part.find()) {
            return null;
        }
        return !part.group(1).startsWith("mornin");
    }

    /** Business hours: a bare "3" or "3:30" means the afternoon. */
    private static LocalTime clock(int hour, int minute, Boolean afternoon) {
        boolean pm = afternoon != null ? afternoon : hour >= 1 && hour <= 7;
        int h = hour % 12 + (pm ? 12 : 0);
        return LocalTime.of(Math.min(h, 23), Math.min(minute, 59));
    }
}
