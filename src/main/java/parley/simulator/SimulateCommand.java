package parley.simulator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import parley.simulator.SimulationEvent.CallerSpeechStart;
import parley.simulator.SimulationEvent.Closed;
import parley.simulator.SimulationEvent.Hangup;
import parley.simulator.SimulationEvent.MarkEchoed;

/** {@code parley simulate}: places one simulated call from the command line and prints what happened. */
public final class SimulateCommand {

    /** The call ran; the agent broke no protocol rule. */
    public static final int OK = 0;
    /** The call could not be placed, or an input or output file failed. */
    public static final int FAILED = 1;
    /** The arguments were wrong. */
    public static final int USAGE = 2;
    /** The call ran, but the agent sent messages Twilio would not accept. */
    public static final int VIOLATIONS = 3;

    static final String USAGE_TEXT = """
            Usage: parley simulate --url ws://HOST:PORT/twilio/media [options]

            Places a simulated phone call over the Twilio Media Streams protocol, in real time.

              --url URL              the stream URL, ws:// or wss:// (required)
              --say TEXT             a caller line, spoken by the offline voice when the agent
                                     has finished its turn (repeatable, in order)
              --wav FILE             a caller line from an 8 kHz WAV file, also after the agent
              --barge-in-at MS       the start time of the next --barge-in-say, in ms after the
                                     stream starts (or with a unit: 2.5s), whatever the agent is doing
              --barge-in-say TEXT    a caller line at the time given by --barge-in-at
              --param NAME=VALUE     a custom parameter, as from TwiML <Parameter> (repeatable)
              --dtmf DIGIT@MS        press a key (0-9, *, #) at a time, e.g. 1@3000 (repeatable)
              --auth-token TOKEN     as Twilio does: ask the voice webhook first, then open the stream
                                     with its parameters; both signed with X-Twilio-Signature
              --record FILE.wav      write a stereo recording: caller left, agent right
              --report FILE.json     write the timeline of events as JSON
              --max-duration TIME    hang up after this long (default 60s); units ms, s or m
              --idle-hangup TIME     once every line is said, hang up after the agent has been
                                     silent this long (default 2s)
              --help                 show this text

            Lines are said one at a time in the order given. Exit status: 0 the call ran cleanly,
            1 it could not be placed, 2 bad arguments, 3 the agent broke the protocol.
            """;

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)");
    private static final Pattern MILLIS = Pattern.compile("\\d+");
    private static final Pattern DTMF = Pattern.compile("(.)@(.+)");

    private SimulateCommand() {}

    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        SimulatedCall call;
        try {
            call = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("parley simulate: " + e.getMessage());
            err.println();
            err.print(USAGE_TEXT);
            return USAGE;
        }
        if (call == null) {
            out.print(USAGE_TEXT);
            return OK;
        }
        SimulationResult result;
        try (CallSimulator simulator = new CallSimulator()) {
            result = simulator.run(call);
        } catch (IOException e) {
            err.println("parley simulate: " + e.getMessage());
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("parley simulate: interrupted");
            return FAILED;
        }
        out.println(summary(result));
        if (call.recording() != null) {
            out.println("Recording: " + call.recording());
        }
        if (call.report() != null) {
            out.println("Report: " + call.report());
        }
        return result.violations().isEmpty() ? OK : VIOLATIONS;
    }

    /** Returns the call the arguments describe, or null when help was asked for. */
    static SimulatedCall parse(String[] args) {
        String url = null;
        // Options other than --url may come first, so they are collected and applied once the URL is known.
        List<String[]> options = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                return null;
            }
            if (!option.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + option + "'");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args[++i];
            if (option.equals("--url")) {
                url = value;
            } else {
                options.add(new String[] {option, value});
            }
        }
        if (url == null) {
            throw new IllegalArgumentException("--url is required");
        }
        SimulatedCall.Builder builder = SimulatedCall.to(url);
        Long bargeInAt = null;
        for (String[] pair : options) {
            String option = pair[0];
            String value = pair[1];
            switch (option) {
                case "--say" -> builder.say(value);
                case "--wav" -> builder.line(CallerLine.wav(Path.of(value)));
                case "--barge-in-at" -> {
                    if (bargeInAt != null) {
                        throw new IllegalArgumentException("--barge-in-at " + value
                                + " follows another --barge-in-at with no --barge-in-say between them");
                    }
                    bargeInAt = millis(option, value);
                }
                case "--barge-in-say" -> {
                    if (bargeInAt == null) {
                        throw new IllegalArgumentException("--barge-in-say needs a --barge-in-at before it");
                    }
                    builder.line(CallerLine.say(value).atMs(bargeInAt));
                    bargeInAt = null;
                }
                case "--param" -> {
                    int eq = value.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--param wants NAME=VALUE, not '" + value + "'");
                    }
                    builder.parameter(value.substring(0, eq), value.substring(eq + 1));
                }
                case "--dtmf" -> {
                    Matcher m = DTMF.matcher(value);
                    if (!m.matches()) {
                        throw new IllegalArgumentException("--dtmf wants DIGIT@MS, e.g. 1@3000, not '" + value + "'");
                    }
                    builder.dtmf(m.group(1).charAt(0), millis(option, m.group(2)));
                }
                case "--auth-token" -> builder.authToken(value);
                case "--record" -> builder.recordTo(Path.of(value));
                case "--report" -> builder.reportTo(Path.of(value));
                case "--max-duration" -> builder.maxDuration(duration(option, value));
                case "--idle-hangup" -> builder.idleHangup(duration(option, value));
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (bargeInAt != null) {
            throw new IllegalArgumentException("--barge-in-at " + bargeInAt + " has no --barge-in-say after it");
        }
        return builder.build();
    }

    /** A length of time needs its unit: a bare "60" is as likely meant in seconds as in milliseconds. */
    private static Duration duration(String option, String value) {
        Matcher m = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(option + " wants a time with a unit (500ms, 2s, 1.5m), not '"
                    + value + "'");
        }
        double amount = Double.parseDouble(m.group(1));
        double ms = switch (m.group(2)) {
            case "ms" -> amount;
            case "s" -> amount * 1_000;
            default -> amount * 60_000;
        };
        Duration duration = Duration.ofMillis(Math.round(ms));
        if (duration.isZero()) {
            throw new IllegalArgumentException(option + " must be longer than zero");
        }
        return duration;
    }

    /** A point on the call's timeline: bare milliseconds, as the protocol counts them, or a time with a unit. */
    private static long millis(String option, String value) {
        String v = value.trim();
        return MILLIS.matcher(v).matches() ? Long.parseLong(v) : duration(option, v).toMillis();
    }

    /** A few lines on how the call went, for a person: length, agent audio, marks, clears, violations. */
    public static String summary(SimulationResult result) {
        SimulatedCall call = result.call();
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Call %s to %s: %.2f s", call.callSid(), call.url(),
                result.durationMs() / 1000.0));
        result.events(Hangup.class).stream().findFirst()
                .ifPresent(h -> text.append(", caller hung up (").append(h.reason().label()).append(')'));
        result.events(Closed.class).stream().findFirst().ifPresent(c -> text.append(String.format(Locale.ROOT,
                ", socket closed by %s with %d", c.by().label(), c.code())));
        String first = result.firstAgentAudioMs().isPresent()
                ? "first at " + result.firstAgentAudioMs().getAsLong() + " ms"
                : "never heard";
        text.append(String.format(Locale.ROOT, "%nAgent audio: %d ms in total, %s", result.agentAudioMs(), first));
        long byClear = result.events(MarkEchoed.class).stream().filter(MarkEchoed::cleared).count();
        text.append(String.format(Locale.ROOT, "%nMarks echoed: %d (%d by a clear); clears: %d",
                result.marksEchoed(), byClear, result.clears()));
        text.append(String.format(Locale.ROOT, "%nCaller lines said: %d of %d",
                result.events(CallerSpeechStart.class).size(), call.lines().size()));
        if (result.violations().isEmpty()) {
            text.append(String.format("%nProtocol violations: none"));
        } else {
            text.append(String.format(Locale.ROOT, "%nProtocol violations: %d", result.violations().size()));
            for (ProtocolViolation v : result.violations()) {
                text.append(String.format(Locale.ROOT, "%n  at %d ms: %s", v.atMs(), v.problem()));
            }
        }
        return text.toString();
    }
}
