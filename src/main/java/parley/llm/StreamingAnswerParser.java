package parley.llm;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Reads a model's answer as it streams in and hands over the text of its {@code say} field while the rest is
 * still being written.
 *
 * <p>Chunks may split the text anywhere, inside an escape or a {@code \\uXXXX} sequence included. Anything
 * before the first <code>{</code> is skipped, which copes with leading prose and Markdown fences; anything after
 * the object closes is ignored. The JSON is checked character by character, so the moment it goes wrong nothing
 * more is handed over: say-text reaches the consumer only from the top-level {@code say} string, decoded, and
 * only up to the point where the answer stopped being JSON. Only the first top-level {@code say} is followed
 * (a second one is a duplicate key, which {@link AnswerSchema} rejects anyway).
 *
 * <p>Not thread-safe: one stream feeds one parser, in order.
 */
public final class StreamingAnswerParser {

    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    private static final List<String> LITERALS = List.of("true", "false", "null");

    /** What the grammar allows next, outside strings and bare tokens. */
    private enum Expect { KEY_OR_CLOSE, KEY, COLON, VALUE, VALUE_OR_CLOSE, COMMA_OR_CLOSE }

    private final AnswerSchema schema;
    private final Consumer<String> say;

    private final StringBuilder object = new StringBuilder();
    private final Deque<Character> open = new ArrayDeque<>();
    private Expect expect;
    private boolean started;
    private Verdict verdict;
    private String broken;

    private boolean inString;
    private boolean stringIsKey;
    private boolean stringIsSay;
    /** 0 outside an escape, 1 after the backslash, 2 to 5 while reading the four hex digits of \\u. */
    private int escape;
    private int codeUnit;
    private final StringBuilder key = new StringBuilder();
    private String topLevelKey;
    private boolean sayFound;
    private boolean sayComplete;

    private final StringBuilder token = new StringBuilder();
    private boolean inLiteral;
    private boolean inNumber;

    private final StringBuilder pendingSay = new StringBuilder();
    /** A high surrogate waits for its pair so that a piece handed over never ends in half a character. */
    private char highSurrogate;

    public StreamingAnswerParser(AnswerSchema schema, Consumer<String> say) {
        this.schema = schema;
        this.say = say;
    }

    /** Takes the next piece of the stream; say-text it completes goes to the consumer before this returns. */
    public void feed(String chunk) {
        for (int i = 0; i < chunk.length() && !done(); i++) {
            accept(chunk.charAt(i));
        }
        if (!pendingSay.isEmpty()) {
            String piece = pendingSay.toString();
            pendingSay.setLength(0);
            say.accept(piece);
        }
    }

    /** True once the object is complete or the text has stopped being JSON: later chunks change nothing. */
    public boolean done() {
        return verdict != null || broken != null;
    }

    /** True once the {@code say} string has closed, so all of its text has been handed over. */
    public boolean sayComplete() {
        return sayComplete;
    }

    /** The verdict on the complete object, once there is one. */
    public Optional<Verdict> verdict() {
        return Optional.ofNullable(verdict);
    }

    /** The verdict on everything fed, for when the stream has ended: an unfinished object is a problem. */
    public Verdict finish() {
        if (verdict != null) {
            return verdict;
        }
        String problem = broken != null ? broken
                : started ? "ended before the JSON object was complete"
                : "holds no JSON object";
        return new Verdict.Invalid(List.of(new Problem("answer", problem)));
    }

    private void accept(char c) {
        if (!started) {
            if (c == '{') {
                started = true;
                object.append(c);
                open.push('{');
                expect = Expect.KEY_OR_CLOSE;
            }
            return;
        }
        object.append(c);
        if (inString) {
            string(c);
            return;
        }
        if (inLiteral || inNumber) {
            if (inLiteral ? Character.isLetter(c) : "0123456789+-.eE".indexOf(c) >= 0) {
                token.append(c);
                if (inLiteral && LITERALS.stream().noneMatch(word -> word.startsWith(token.toString()))) {
                    fail("\"" + token + "\" is not a JSON value");
                }
                return;
            }
            if (!endToken()) {
                return;
            }
        }
        structure(c);
    }

    private void structure(char c) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            return;
        }
        switch (expect) {
            case KEY_OR_CLOSE -> {
                if (c == '}') {
                    close('{', c);
                } else if (c == '"') {
                    startString(true, false);
                } else {
                    fail("expected a field name or '}' but found '" + c + "'");
                }
            }
            case KEY -> {
                if (c == '"') {
                    startString(true, false);
                } else {
                    fail("expected a field name but found '" + c + "'");
                }
            }
            case COLON -> {
                if (c == ':') {
                    expect = Expect.VALUE;
                } else {
                    fail("expected ':' but found '" + c + "'");
                }
            }
            case VALUE_OR_CLOSE -> {
                if (c == ']') {
                    close('[', c);
                } else {
                    value(c);
                }
            }
            case VALUE -> value(c);
            case COMMA_OR_CLOSE -> {
                if (c == ',') {
                    expect = open.peek() == '{' ? Expect.KEY : Expect.VALUE;
                } else if (c == '}' || c == ']') {
                    close(c == '}' ? '{' : '[', c);
                } else {
                    fail("expected ',' or a closing bracket but found '" + c + "'");
                }
            }
        }
    }

    private void value(char c) {
        boolean isSay = open.size() == 1 && AnswerSchema.SAY.equals(topLevelKey) && !sayFound;
        topLevelKey = null;
        if (c == '"') {
            sayFound |= isSay;
            startString(false, isSay);
        } else if (c == '{' || c == '[') {
            open.push(c);
            expect = c == '{' ? Expect.KEY_OR_CLOSE : Expect.VALUE_OR_CLOSE;
        } else if (c == 't' || c == 'f' || c == 'n') {
            inLiteral = true;
            token.setLength(0);
            token.append(c);
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            inNumber = true;
            token.setLength(0);
            token.append(c);
        } else {
            fail("expected a value but found '" + c + "'");
        }
    }

    /** Ends a bare literal or number at the character after it; false if the token was not a JSON value. */
    private boolean endToken() {
        String text = token.toString();
        boolean valid = inLiteral ? LITERALS.contains(text) : NUMBER.matcher(text).matches();
        inLiteral = false;
        inNumber = false;
        if (!valid) {
            fail("\"" + text + "\" is not a JSON value");
            return false;
        }
        expect = Expect.COMMA_OR_CLOSE;
        return true;
    }

    private void close(char opener, char closer) {
        if (open.peek() != opener) {
            fail("'" + closer + "' does not match '" + open.peek() + "'");
            return;
        }
        open.pop();
        if (open.isEmpty()) {
            verdict = schema.validate(object.toString());
        } else {
            expect = Expect.COMMA_OR_CLOSE;
        }
    }

    private void startString(boolean isKey, boolean isSay) {
        inString = true;
        stringIsKey = isKey;
        stringIsSay = isSay;
        key.setLength(0);
    }

    private void string(char c) {
        if (escape == 1) {
            escape = 0;
            switch (c) {
                case '"', '\\', '/' -> character(c);
                case 'b' -> character('\b');
                case 'f' -> character('\f');
                case 'n' -> character('\n');
                case 'r' -> character('\r');
                case 't' -> character('\t');
                case 'u' -> {
                    escape = 2;
                    codeUnit = 0;
                }
                default -> fail("'\\" + c + "' is not a JSON escape");
            }
        } else if (escape > 1) {
            int digit = Character.digit(c, 16);
            if (digit < 0) {
                fail("'" + c + "' is not a hex digit in a \\u escape");
                return;
            }
            codeUnit = codeUnit * 16 + digit;
            if (++escape == 6) {
                escape = 0;
                character((char) codeUnit);
            }
        } else if (c == '\\') {
            escape = 1;
        } else if (c == '"') {
            endString();
        } else if (c < 0x20) {
            fail("a control character must be escaped inside a string");
        } else {
            character(c);
        }
    }

    private void character(char c) {
        if (stringIsKey) {
            key.append(c);
        } else if (stringIsSay) {
            if (highSurrogate != 0) {
                pendingSay.append(highSurrogate);
                highSurrogate = 0;
            }
            if (Character.isHighSurrogate(c)) {
                highSurrogate = c;
            } else {
                pendingSay.append(c);
            }
        }
    }

    private void endString() {
        inString = false;
        if (stringIsKey) {
            topLevelKey = open.size() == 1 ? key.toString() : null;
            expect = Expect.COLON;
            return;
        }
        if (stringIsSay) {
            if (highSurrogate != 0) {
                pendingSay.append(highSurrogate);
                highSurrogate = 0;
            }
            stringIsSay = false;
            sayComplete = true;
        }
        expect = Expect.COMMA_OR_CLOSE;
    }

    private void fail(String what) {
        broken = "is not valid JSON at character " + object.length() + ": " + what;
    }
}
