package parley.conversation;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.langchain4j.model.embedding.EmbeddingModel;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.yaml.snakeyaml.Yaml;
import parley.config.ParleyProperties;

/**
 * {@code java -jar parley.jar evaluate}: how well callers' words are understood without a language model, on
 * an evaluation file of labelled turns (see {@code scripts/acme-b2b.evaluation.yaml}). Per state and overall it
 * prints the turns read right, read wrong (the call went where it should not: the costly error), missed (the
 * agent stayed where it should have moved: it asks again, or a model answers), "none" kept as none, the share
 * a configured model would leave to the script, and the time a decision takes, embedding included.
 */
public final class UnderstandingEvaluation {

    /** A Wednesday morning: "tomorrow", "next Tuesday" and "in an hour" read the same on every run. */
    static final CallerCalendar CALENDAR = new CallerCalendar(LocalDateTime.of(2026, 11, 25, 10, 0), DayOfWeek.SUNDAY);
    static final String NONE = "none";

    /** One labelled turn: in {@code state} the caller said {@code said}; the call should go to {@code expect}. */
    public record Case(String state, String said, String expect) {
    }

    /** The file: the script it is for, the half that may be tuned on, the half that is held back. */
    public record Cases(Resource script, List<Case> tuning, List<Case> heldBack) {
    }

    /** How one turn was read. */
    public record Reading(Case turn, OfflinePolicy.Decision decision, boolean scripted, long nanos) {
        boolean moved() {
            return !decision.state().equals(turn.state());
        }

        String went() {
            return moved() ? decision.state() : NONE;
        }

        boolean right() {
            return went().equals(turn.expect());
        }

        boolean wrong() {
            return moved() && !right();
        }
    }

    private UnderstandingEvaluation() {
    }

    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> settings = new ArrayList<>();
        String casesPath = "classpath:scripts/acme-b2b.evaluation.yaml";
        for (String arg : args) {
            if (arg.startsWith("--parley.")) {
                settings.add(arg);
            } else if (arg.startsWith("--") && arg.contains("=")) {
                options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            } else if (arg.startsWith("--")) {
                options.put(arg.substring(2), "true");
            } else {
                casesPath = arg.contains(":") ? arg : "file:" + arg;
            }
        }
        ParleyProperties.Conversation conversation = settings(settings);
        Cases cases;
        SalesScript script;
        try {
            cases = read(casesPath);
            script = ScriptLoader.load(cases.script());
        } catch (RuntimeException e) {
            err.println("Cannot evaluate: " + e.getMessage());
            return 2;
        }
        try {
            check(script, cases.tuning());
            check(script, cases.heldBack());
        } catch (IllegalArgumentException e) {
            err.println("Cannot evaluate: " + casesPath + ": " + e.getMessage());
            return 2;
        }
        String modelOption = options.getOrDefault("model", conversation.understanding().model());
        List<UnderstandingModel> models = modelOption.equals("all") ? List.of(UnderstandingModel.values())
                : Arrays.stream(modelOption.split(",")).map(UnderstandingModel::named).toList();
        String half = options.getOrDefault("half", "both");
        boolean showErrors = options.containsKey("show-errors");
        OfflinePolicy.Tuning tuning = conversation.understanding().tuning();
        out.printf("Evaluating %s against %s (%d turns to tune on, %d held back)%n", casesPath,
                script.name(), cases.tuning().size(), cases.heldBack().size());
        out.printf("Settings: threshold %.2f, margin %.2f, model bar (scripted-above) %.2f%n", tuning.threshold(),
                tuning.margin(), conversation.scriptedAbove());
        for (UnderstandingModel model : models) {
            TurnRouter router = new TurnRouter(true, conversation.scriptedAbove());
            if (options.containsKey("calibrate")) {
                out.printf("%nModel %s%n", model);
                calibrate(new OfflinePolicy(script, new RememberedEmbeddings(model.load()), tuning,
                        conversation.understanding().phraseVectorsFile(model.id())), router, cases.tuning(),
                        Double.parseDouble(options.getOrDefault("most-wrong", "1")), out);
                continue;
            }
            long loading = System.nanoTime();
            OfflinePolicy policy = new OfflinePolicy(script, model.load(), tuning,
                    conversation.understanding().phraseVectorsFile(model.id()));
            out.printf("%nModel %s (loaded, with the script's examples embedded, in %d ms)%n", model,
                    (System.nanoTime() - loading) / 1_000_000);
            // Once over everything first, so that the times are of a warmed-up runtime, as on a call.
            read(policy, router, cases.tuning());
            if (!half.equals("held-back")) {
                report("Tuning half", read(policy, router, cases.tuning()), showErrors, out);
            }
            if (!half.equals("tuning")) {
                report("Held-back half", read(policy, router, cases.heldBack()), showErrors, out);
            }
        }
        return 0;
    }

    private static void check(SalesScript script, List<Case> cases) {
        for (Case turn : cases) {
            SalesScript.State state = script.states().get(turn.state());
            if (state == null || state.terminal()) {
                throw new IllegalArgumentException("'" + turn.state() + "' is not a state of the script that takes a"
                        + " caller's turn");
            }
            if (!turn.expect().equals(NONE) && !script.states().containsKey(turn.expect())) {
                throw new IllegalArgumentException("\"" + turn.said() + "\" expects '" + turn.expect()
                        + "', which is neither a state of the script nor none");
            }
        }
    }

    /**
     * Tries settings on the tuning half (never the held-back one) and prints those that read the most turns right
     * while reading at most {@code mostWrong} % wrong ({@code --most-wrong}, 1 by default: settings at the very
     * edge of what the tuning half allows tend to read a little more wrong on turns they were not tried on).
     */
    private static void calibrate(OfflinePolicy trained, TurnRouter router, List<Case> tuningHalf, double mostWrong,
                                  PrintStream out) {
        Figures bestFigures = null;
        OfflinePolicy.Tuning best = null;
        for (int threshold = 20; threshold <= 95; threshold += 5) {
            for (int margin = 0; margin <= 80; margin += 5) {
                OfflinePolicy.Tuning tuning = new OfflinePolicy.Tuning(threshold / 100.0, margin / 100.0);
                Figures figures = Figures.of(read(trained.tuned(tuning), router, tuningHalf));
                boolean allowed = figures.wrongShare() <= mostWrong;
                if (allowed && (bestFigures == null || figures.right() > bestFigures.right()
                        || figures.right() == bestFigures.right() && figures.wrong() < bestFigures.wrong())) {
                    bestFigures = figures;
                    best = tuning;
                }
            }
        }
        if (best == null) {
            out.printf("No settings read at most %.1f %% of the tuning half wrong.%n", mostWrong);
            return;
        }
        out.printf("Best on the tuning half at most %.1f %% wrong: %d right (%.1f%%), %d wrong (%.1f%%) with%n"
                        + "  --parley.conversation.understanding.threshold=%.2f%n"
                        + "  --parley.conversation.understanding.margin=%.2f%n",
                mostWrong, bestFigures.right(), bestFigures.rightShare(), bestFigures.wrong(), bestFigures.wrongShare(),
                best.threshold(), best.margin());
    }

    /** An embedding model that works each text out once: trying many settings reads the same turns again. */
    private record RememberedEmbeddings(EmbeddingModel model, Map<String, dev.langchain4j.data.embedding.Embedding> seen)
            implements EmbeddingModel {
        RememberedEmbeddings(EmbeddingModel model) {
            this(model, new java.util.HashMap<>());
        }

        @Override
        public dev.langchain4j.model.output.Response<List<dev.langchain4j.data.embedding.Embedding>> embedAll(
                List<dev.langchain4j.data.segment.TextSegment> segments) {
            return dev.langchain4j.model.output.Response.from(segments.stream().map(segment -> seen.computeIfAbsent(
                    segment.text(), text -> model.embed(text).content())).toList());
        }
    }

    public static List<Reading> read(OfflinePolicy policy, TurnRouter router, List<Case> cases) {
        List<Reading> readings = new ArrayList<>(cases.size());
        for (Case turn : cases) {
            long started = System.nanoTime();
            OfflinePolicy.Decision decision = policy.decide(turn.state(), turn.said(), Map.of(), CALENDAR);
            long nanos = System.nanoTime() - started;
            // Only turns the script understood at the bar: asking again is the script's too, but answers nothing.
            boolean scripted = router.route(turn.said(), decision, false).route() == TurnRouter.Route.SCRIPTED;
            readings.add(new Reading(turn, decision, scripted, nanos));
        }
        return readings;
    }

    /** Figures for a set of readings. */
    public record Figures(int turns, int right, int wrong, int missed, int none, int noneKept, int scripted,
                          int scriptedRight, double meanMs, double p95Ms) {

        public static Figures of(List<Reading> readings) {
            int right = 0;
            int wrong = 0;
            int none = 0;
            int noneKept = 0;
            int scripted = 0;
            int scriptedRight = 0;
            long[] nanos = new long[readings.size()];
            long total = 0;
            for (int i = 0; i < readings.size(); i++) {
                Reading reading = readings.get(i);
                right += reading.right() ? 1 : 0;
                wrong += reading.wrong() ? 1 : 0;
                if (reading.turn().expect().equals(NONE)) {
                    none++;
                    noneKept += reading.moved() ? 0 : 1;
                }
                if (reading.scripted()) {
                    scripted++;
                    scriptedRight += reading.right() ? 1 : 0;
                }
                nanos[i] = reading.nanos();
                total += reading.nanos();
            }
            Arrays.sort(nanos);
            int n = readings.size();
            return new Figures(n, right, wrong, n - right - wrong, none, noneKept, scripted, scriptedRight,
                    n == 0 ? 0 : total / 1e6 / n, n == 0 ? 0 : nanos[Math.min(n - 1, (int) Math.ceil(n * 0.95) - 1)] / 1e6);
        }

        public double rightShare() {
            return share(right);
        }

        public double wrongShare() {
            return share(wrong);
        }

        private double share(int count) {
            return turns == 0 ? 0 : 100.0 * count / turns;
        }

        String row(String name) {
            return String.format("%-18s %5d %5d %5.1f%% %5d %5.1f%% %6d %5d/%-5d %6d %5.1f%% %5d  %6.2f %6.2f", name, turns,
                    right, rightShare(), wrong, wrongShare(), missed, noneKept, none, scripted, share(scripted),
                    scripted - scriptedRight, meanMs, p95Ms);
        }
    }

    static Figures report(String title, List<Reading> readings, boolean showErrors, PrintStream out) {
        Map<String, List<Reading>> byState = new LinkedHashMap<>();
        readings.forEach(reading -> byState.computeIfAbsent(reading.turn().state(), s -> new ArrayList<>()).add(reading));
        out.printf("%n%s%n", title);
        out.printf("%-18s %5s %12s %12s %6s %11s %19s  %13s%n", "state", "turns", "right", "wrong", "missed",
                "none kept", "scripted (wrong)", "ms mean  p95");
        byState.forEach((state, inState) -> out.println(Figures.of(inState).row(state)));
        Figures overall = Figures.of(readings);
        out.println(overall.row("overall"));
        if (showErrors) {
            readings.stream().filter(reading -> !reading.right()).forEach(reading -> out.printf(
                    "  %-6s %-17s \"%s\" -> %s, expected %s: %s%n", reading.wrong() ? "WRONG" : "missed",
                    reading.turn().state(), reading.turn().said(), reading.went(), reading.turn().expect(),
                    reading.decision().reason()));
        }
        return overall;
    }

    /** The settings as Parley would read them: application.yaml, then {@code --parley.*} arguments. */
    public static ParleyProperties.Conversation settings(List<String> arguments) {
        StandardEnvironment environment = new StandardEnvironment();
        try {
            new YamlPropertySourceLoader().load("application.yaml",
                            new DefaultResourceLoader().getResource("classpath:application.yaml"))
                    .forEach(source -> environment.getPropertySources().addLast(source));
        } catch (IOException e) {
            throw new UncheckedIOException("application.yaml ships in Parley's jar", e);
        }
        environment.getPropertySources().addFirst(new SimpleCommandLinePropertySource(arguments.toArray(String[]::new)));
        return Binder.get(environment).bindOrCreate("parley.conversation", ParleyProperties.Conversation.class);
    }

    @SuppressWarnings("unchecked")
    public static Cases read(String location) {
        Resource file = new DefaultResourceLoader().getResource(location);
        Map<String, Object> raw;
        try (InputStream in = file.getInputStream()) {
            raw = new Yaml().load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(location + " cannot be read: " + e.getMessage(), e);
        }
        if (raw == null || !(raw.get("script") instanceof String scriptName)) {
            throw new IllegalArgumentException(location + ": 'script' (the script's file, beside this one) is missing");
        }
        Resource script;
        try {
            script = file.createRelative(scriptName);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Cases(script, cases(raw.get("tuning"), location, "tuning"),
                cases(raw.get("held_back"), location, "held_back"));
    }

    @SuppressWarnings("unchecked")
    private static List<Case> cases(Object half, String location, String name) {
        if (!(half instanceof Map<?, ?> byState)) {
            throw new IllegalArgumentException(location + ": '" + name + "' must map each state to its turns");
        }
        List<Case> cases = new ArrayList<>();
        ((Map<String, List<Map<String, String>>>) byState).forEach((state, turns) -> turns.forEach(turn -> {
            if (turn.get("said") == null || turn.get("expect") == null) {
                throw new IllegalArgumentException(location + ": a turn of '" + state + "' in '" + name
                        + "' needs both 'said' and 'expect': " + turn);
            }
            cases.add(new Case(state, String.valueOf(turn.get("said")), String.valueOf(turn.get("expect"))));
        }));
        return cases;
    }
}
