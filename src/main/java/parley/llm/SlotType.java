package parley.llm;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The kind of value one slot of an answer may hold. Each slot is optional unless marked required; a slot the
 * model leaves out or sets to {@code null} counts as not given.
 */
public sealed interface SlotType {

    boolean required();

    /** How the slot is described to the model, e.g. {@code "email"} or {@code "one of [a, b]"}. */
    String describe();

    /** The slot's value in Java terms, or why the text the model gave cannot be one. */
    Checked check(String value);

    /** The outcome of checking one value: exactly one of {@code value} and {@code problem} is set. */
    record Checked(Object value, String problem) {
        static Checked ok(Object value) {
            return new Checked(value, null);
        }

        static Checked wrong(String problem) {
            return new Checked(null, problem);
        }
    }

    /** A person's name, as said. */
    record Name(boolean required) implements SlotType {
        @Override
        public String describe() {
            return "name";
        }

        @Override
        public Checked check(String value) {
            return value.isBlank() ? Checked.wrong("is blank") : Checked.ok(value.strip());
        }
    }

    /** An e-mail address; kept as written, because the local part may be case-sensitive. */
    record Email(boolean required) implements SlotType {
        // Deliberately loose: one @, a dot in the domain, no spaces. Stricter rules reject real addresses.
        private static final Pattern ADDRESS = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s.]+");

        @Override
        public String describe() {
            return "email";
        }

        @Override
        public Checked check(String value) {
            String address = value.strip();
            return ADDRESS.matcher(address).matches()
                    ? Checked.ok(address)
                    : Checked.wrong("\"" + value + "\" is not an e-mail address");
        }
    }

    /**
     * A telephone number, returned as {@code +} and digits when the model gave one in international form, or
     * digits alone otherwise; spaces, dots, dashes and brackets are the only separators accepted.
     */
    record Phone(boolean required) implements SlotType {
        private static final Pattern NUMBER = Pattern.compile("\\+?[0-9 ().\\-]+");

        @Override
        public String describe() {
            return "phone (digits, international form +CC... when known)";
        }

        @Override
        public Checked check(String value) {
            String number = value.strip();
            String digits = number.replaceAll("[^0-9]", "");
            if (!NUMBER.matcher(number).matches() || digits.length() < 5 || digits.length() > 15) {
                return Checked.wrong("\"" + value + "\" is not a phone number");
            }
            return Checked.ok(number.startsWith("+") ? "+" + digits : digits);
        }
    }

    /**
     * A moment, as ISO-8601: an {@link OffsetDateTime} when the model gave an offset, a {@link LocalDateTime}
     * when it did not (the caller knows the call's time zone; the model usually does not).
     */
    record DateTime(boolean required) implements SlotType {
        @Override
        public String describe() {
            return "datetime (ISO-8601, e.g. 2026-03-14T15:30)";
        }

        @Override
        public Checked check(String value) {
            String text = value.strip();
            try {
                return Checked.ok(OffsetDateTime.parse(text));
            } catch (DateTimeParseException withoutOffset) {
                try {
                    return Checked.ok(LocalDateTime.parse(text));
                } catch (DateTimeParseException notADateTime) {
                    return Checked.wrong("\"" + value + "\" is not an ISO-8601 date-time");
                }
            }
        }
    }

    /** One of a fixed set of values, matched exactly: the script branches on them. */
    record Choice(List<String> values, boolean required) implements SlotType {
        public Choice {
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new IllegalArgumentException("a choice needs at least one value");
            }
        }

        @Override
        public String describe() {
            return "one of " + values;
        }

        @Override
        public Checked check(String value) {
            return values.contains(value)
                    ? Checked.ok(value)
                    : Checked.wrong("\"" + value + "\" is not one of " + values);
        }
    }

    /** Free text. */
    record Text(boolean required) implements SlotType {
        @Override
        public String describe() {
            return "text";
        }

        @Override
        public Checked check(String value) {
            return Checked.ok(value);
        }
    }
}
