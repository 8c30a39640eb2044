package parley.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import parley.simulator.CallSimulator;
import parley.simulator.CallerLine;
import parley.simulator.SimulatedCall;
import parley.simulator.SimulationEvent;
import parley.simulator.SimulationResult;
import parley.support.OtherVoice;
import parley.support.RunningParley;

/**
 * The turn-taking benchmark: how soon after the caller's last word the agent's answer reaches them, what that
 * time is made of, and how often the agent answers into a pause the caller meant to go on after.
 *
 * <pre>./mvnw -q -DskipTests package exec:exec@turn-bench -Dlatencies=50,100</pre>
 *
 * For each recognizer latency, Parley runs from {@code target/parley.jar} in its own process, the
 * Deepgram-protocol stand-in in another (interim results as the speech grows, the final at once on
 * {@code Finalize}, every message {@code latency} ms late), and this process plays the callers. Four voices
 * (the offline voice at four rates and pitches; Parley's own voice is never one of them) each place two calls
 * through the sample script to a booked meeting:
 * <ul>
 *   <li>one in complete sentences, each answered from the script: the gap from the caller's last voiced
 *   sample to the agent's first audio they hear, and Parley's own account of it (speech end detected,
 *   {@code Finalize} sent, final words received, turn model's verdict, turn decided, first audio sent, all in
 *   ms after Parley's own estimate of the speech end);</li>
 *   <li>one whose lines pause 600-900 ms where the caller is not done (after a comma in a list, inside an
 *   email address, after "at", after "um"): a cut-off is the agent's audio starting in such a pause.</li>
 * </ul>
 * Then, with a language model configured (the OpenAI-compatible stand-in, first token {@code first-token} ms
 * after the request, 300 by default, then about 65 tokens a second), each voice asks three questions the
 * script has no answer for: the gap to the model's answer heard, and its parts.
 */
public final class TurnGap {

    private static final List<OtherVoice> VOICES = List.of(
            new OtherVoice("slow-low", 130, 0.90), new OtherVoice("even", 160, 1.0),
            new OtherVoice("quick-high", 185, 1.12), new OtherVoice("fast", 210, 1.05));

    /** The sample script's way to a booked meeting, in complete sentences. */
    private static final List<String> SENTENCES = List.of(
            "Sure, what's this about?",
            "We do maybe forty deliveries a week, planned in a spreadsheet.",
            "Yeah, that could be useful.",
            "It's jane dot doe at example dot com.",
            "Next Tuesday at 10 am works for me.");

    /** The same way, each line with a pause where the caller is not done: first part, pause, the rest. */
    private record Paused(String first, long pauseMs, String rest) {
    }

    private static final List<Paused> PAUSED = List.of(
            new Paused("Sure, and", 700, "what's this about?"),
            new Paused("We do maybe forty deliveries a week, planned in spreadsheets, emails,", 800,
                    "and phone calls."),
            new Paused("Um,", 800, "yeah, that could be useful."),
            new Paused("It's jane dot doe at", 900, "example dot com."),
            new Paused("Next Tuesday at", 600, "10 am works for me."));

    /** Questions the sample script has no line for: the strong model answers them. */
    private static final List<String> QUESTIONS = List.of(
            "How much does it cost?",
            "Do you work with refrigerated trucks?",
            "Can it plan routes across two depots?");

    private static final Pattern ENDED = Pattern.compile("Call (\\S+): the caller's turn ended after \\d+ ms of "
            + "silence \\((\\w+)\\)");
    private static final Pattern TIMING = Pattern.compile(
            "Call (\\S+): turn (\\d+) timing in ms after the caller's speech ended: detected=(\\S+) "
                    + "finalize=(\\S+) final=(\\S+) verdict=(\\S+) decided=(\\S+) firstAudio=(\\S+)");
    /** Below this (5 ms RMS) a stretch of the caller's line is silence: where their last word ends. */
    private static final double VOICED_RMS = 150;

    private TurnGap() {
    }

    public static void main(String[] args) throws Exception {
        long[] latencies = Arrays.stream(System.getProperty("latencies", "50,100").split(",")).map(String::trim)
                .mapToLong(Long::parseLong).toArray();
        Path jar = Path.of(System.getProperty("jar", "target/parley.jar"));
        Map<OtherVoice, Lines> lines = new java.util.LinkedHashMap<>();
        for (OtherVoice voice : VOICES) {
            lines.put(voice, Lines.of(voice));
        }
        long firstTokenMs = Long.getLong("first-token", 300);
        for (long latency : latencies) {
            runOnce(jar, latency, lines);
            runModelTurns(jar, latency, firstTokenMs, lines);
        }
    }

    private static void runOnce(Path jar, long latencyMs, Map<OtherVoice, Lines> lines) throws Exception {
        Map<String, List<String[]>> timings = new ConcurrentHashMap<>();
        Map<String, String> why = new ConcurrentHashMap<>();
        int port = RunningParley.freePort();
        try (Child recognizer = Child.deepgramStandIn(latencyMs);
             Child parley = Child.parley(jar, port, recognizer.firstLine(), List.of(),
                     List.of("--logging.level.parley.processors.SpeakLine=INFO",
                             "--logging.level.parley.processors.EndCallerTurn=INFO"),
                     line -> keepTiming(line, timings, why));
             CallSimulator simulator = new CallSimulator()) {
            String media = "ws://127.0.0.1:" + port + "/twilio/media";
            System.out.printf("%nRecognizer answering %d ms late; %d voices, a call in sentences and one with "
                    + "pauses each%n", latencyMs, VOICES.size());
            ExecutorService callers = Executors.newFixedThreadPool(2 * VOICES.size());
            List<Future<SimulationResult>> sentences = new ArrayList<>();
            List<Future<SimulationResult>> paused = new ArrayList<>();
            List<String> sentenceSids = new ArrayList<>();
            int n = 0;
            for (OtherVoice voice : VOICES) {
                sentenceSids.add(sid(latencyMs, n++));
                SimulatedCall inSentences = sentencesCall(media, sentenceSids.get(sentenceSids.size() - 1),
                        lines.get(voice));
                SimulatedCall withPauses = pausedCall(media, sid(latencyMs, n++), lines.get(voice));
                sentences.add(callers.submit(() -> simulator.run(inSentences)));
                paused.add(callers.submit(() -> simulator.run(withPauses)));
            }
            callers.shutdown();
            List<Double> gaps = new ArrayList<>();
            List<Double> share = new ArrayList<>();
            reportTurns(sentences, sentenceSids, lines, timings, gaps, share);
            int pauses = 0;
            int cutOffs = 0;
            for (int v = 0; v < VOICES.size(); v++) {
                SimulationResult result = paused.get(v).get();
                List<String> cut = cutOffs(result);
                pauses += PAUSED.size();
                cutOffs += cut.size();
                for (String line : cut) {
                    System.out.printf("  cut off (%s): the agent spoke in the pause after \"%s\"%n",
                            VOICES.get(v).name(), line);
                }
            }
            System.out.printf("  gap from the caller's last word to the agent's first audio: %s%n", Spread.of(gaps));
            System.out.printf("  Parley's own share (turn decided to first audio sent): %s%n", Spread.of(share));
            System.out.printf("  cut-offs: %d of %d pauses%n", cutOffs, pauses);
        }
    }

    /** Each call's turns: the gap heard and Parley's parts; adds the gaps and Parley's shares to the lists. */
    private static void reportTurns(List<Future<SimulationResult>> calls, List<String> sids,
                                    Map<OtherVoice, Lines> lines, Map<String, List<String[]>> timings,
                                    List<Double> gaps, List<Double> share) throws Exception {
        System.out.println("  voice       gap heard | Parley's parts (ms after its speech end): detected "
                + "finalize final verdict decided firstAudio, and why the turn ended then");
        for (int v = 0; v < VOICES.size(); v++) {
            SimulationResult result = calls.get(v).get();
            List<Double> heard = gapsHeard(result, lines.get(VOICES.get(v)));
            gaps.addAll(heard);
            List<String[]> parts = timings.getOrDefault(sids.get(v), List.of());
            for (int turn = 0; turn < Math.max(heard.size(), parts.size()); turn++) {
                String[] p = turn < parts.size() ? parts.get(turn) : null;
                System.out.printf("  %-10s %6s ms | %s%n", VOICES.get(v).name(),
                        turn < heard.size() ? String.format("%.0f", heard.get(turn)) : "-",
                        p == null ? "(no timing)" : String.join(" ", p));
                if (p != null && !p[4].equals("null") && !p[5].equals("null")) {
                    share.add(Double.parseDouble(p[5]) - Double.parseDouble(p[4]));
                }
            }
        }
    }

    /** The same voices asking questions only a language model answers. */
    private static void runModelTurns(Path jar, long latencyMs, long firstTokenMs, Map<OtherVoice, Lines> lines)
            throws Exception {
        Map<String, List<String[]>> timings = new ConcurrentHashMap<>();
        Map<String, String> why = new ConcurrentHashMap<>();
        int port = RunningParley.freePort();
        try (Child recognizer = Child.deepgramStandIn(latencyMs);
             Child model = Child.modelStandIn(firstTokenMs);
             Child parley = Child.parley(jar, port, recognizer.firstLine(), List.of(),
                     List.of("--logging.level.parley.processors.SpeakLine=INFO",
                             "--logging.level.parley.processors.EndCallerTurn=INFO",
                             "--parley.llm.base-url=" + model.firstLine(), "--parley.llm.api-key=bench",
                             "--parley.llm.fast-model=bench-fast", "--parley.llm.strong-model=bench-strong"),
                     line -> keepTiming(line, timings, why));
             CallSimulator simulator = new CallSimulator()) {
            String media = "ws://127.0.0.1:" + port + "/twilio/media";
            System.out.printf("%nRecognizer answering %d ms late, a model's first token %d ms after the request; "
                    + "%d voices asking %d questions each%n", latencyMs, firstTokenMs, VOICES.size(), QUESTIONS.size());
            ExecutorService callers = Executors.newFixedThreadPool(VOICES.size());
            List<Future<SimulationResult>> calls = new ArrayList<>();
            List<String> sids = new ArrayList<>();
            for (OtherVoice voice : VOICES) {
                String sid = String.format("CAmodel%03d%022d", latencyMs, sids.size());
                sids.add(sid);
                SimulatedCall.Builder call = SimulatedCall.to(media).callSid(sid);
                QUESTIONS.forEach(question -> call.line(lines.get(voice).line(question)));
                SimulatedCall built = call.idleHangup(Duration.ofSeconds(5)).maxDuration(Duration.ofSeconds(90)).build();
                calls.add(callers.submit(() -> simulator.run(built)));
            }
            callers.shutdown();
            List<Double> gaps = new ArrayList<>();
            List<Double> share = new ArrayList<>();
            reportTurns(calls, sids, lines, timings, gaps, share);
            System.out.printf("  gap from the caller's last word to the model's answer: %s%n", Spread.of(gaps));
        }
    }

    private static String sid(long latencyMs, int n) {
        return String.format("CAturn%03d%025d", latencyMs, n);
    }

    /** A turn's parts, from Parley's log: why it ended, then its timing once its answer has begun. */
    private static void keepTiming(String line, Map<String, List<String[]>> timings, Map<String, String> why) {
        Matcher ended = ENDED.matcher(line);
        if (ended.find()) {
            why.put(ended.group(1), ended.group(2));
        }
        Matcher m = TIMING.matcher(line);
        if (m.find()) {
            timings.computeIfAbsent(m.group(1), sid -> new CopyOnWriteArrayList<>()).add(new String[] {
                m.group(3), m.group(4), m.group(5), m.group(6), m.group(7), m.group(8),
                why.getOrDefault(m.group(1), "?")});
        }
    }

    /** Every line of a call, voiced by one voice, with where in each its last voiced sample is. */
    private record Lines(Map<String, short[]> audio) {
        static Lines of(OtherVoice voice) {
            List<String> all = new ArrayList<>(SENTENCES);
            all.addAll(QUESTIONS);
            PAUSED.forEach(p -> {
                all.add(p.first());
                all.add(p.rest());
            });
            return new Lines(voice.speak(all));
        }

        CallerLine line(String text) {
            return CallerLine.spoken(text, audio.get(text));
        }

        /** Silence after the last voiced 5 ms of the line. */
        long trailingSilenceMs(String text) {
            short[] samples = audio.get(text);
            int end = samples.length;
            for (int at = samples.length - 40; at >= 0; at -= 40) {
                double energy = 0;
                for (int i = at; i < at + 40; i++) {
                    energy += (double) samples[i] * samples[i];
                }
                if (Math.sqrt(energy / 40) >= VOICED_RMS) {
                    end = at + 40;
                    break;
                }
            }
            return (samples.length - end) / 8;
        }
    }

    private static SimulatedCall sentencesCall(String media, String sid, Lines lines) {
        SimulatedCall.Builder call = SimulatedCall.to(media).callSid(sid);
        SENTENCES.forEach(text -> call.line(lines.line(text)));
        return call.idleHangup(Duration.ofSeconds(5)).maxDuration(Duration.ofSeconds(120))
                .build();
    }

    private static SimulatedCall pausedCall(String media, String sid, Lines lines) {
        SimulatedCall.Builder call = SimulatedCall.to(media).callSid(sid);
        for (Paused p : PAUSED) {
            call.line(lines.line(p.first()));
            call.line(lines.line(p.rest()).afterPause(p.pauseMs()));
        }
        return call.idleHangup(Duration.ofSeconds(5)).maxDuration(Duration.ofSeconds(120))
                .build();
    }

    /** For each caller line, from its last voiced sample to the agent's next audio. */
    private static List<Double> gapsHeard(SimulationResult result, Lines lines) {
        List<Double> gaps = new ArrayList<>();
        List<SimulationEvent.AgentAudioStart> starts = result.events(SimulationEvent.AgentAudioStart.class);
        for (SimulationEvent.CallerSpeechStop stop : result.events(SimulationEvent.CallerSpeechStop.class)) {
            long lastVoiced = stop.atMs() - lines.trailingSilenceMs(stop.line());
            starts.stream().filter(start -> start.atMs() >= lastVoiced).findFirst()
                    .ifPresent(start -> gaps.add((double) (start.atMs() - lastVoiced)));
        }
        return gaps;
    }

    /**
     * The first parts of paused lines the agent answered in the pause: it was silent when the caller paused
     * and began to speak before they went on. (Audio the agent was already in the middle of when the caller
     * paused answers something earlier: one cut-off is counted once, not again in every pause it overlaps.)
     */
    private static List<String> cutOffs(SimulationResult result) {
        List<String> cut = new ArrayList<>();
        List<SimulationEvent.CallerSpeechStop> stops = result.events(SimulationEvent.CallerSpeechStop.class);
        List<SimulationEvent.CallerSpeechStart> starts = result.events(SimulationEvent.CallerSpeechStart.class);
        List<SimulationEvent.AgentAudioStart> agentStarts = result.events(SimulationEvent.AgentAudioStart.class);
        List<SimulationEvent.AgentAudioStop> agentStops = result.events(SimulationEvent.AgentAudioStop.class);
        for (Paused p : PAUSED) {
            stops.stream().filter(stop -> stop.line().equals(p.first())).findFirst().ifPresent(stop -> {
                long resumed = starts.stream().filter(s -> s.line().equals(p.rest())).mapToLong(
                        SimulationEvent.CallerSpeechStart::atMs).findFirst().orElse(Long.MAX_VALUE);
                long lastStart = agentStarts.stream().mapToLong(SimulationEvent.AgentAudioStart::atMs)
                        .filter(t -> t <= stop.atMs()).max().orElse(-1);
                long lastStop = agentStops.stream().mapToLong(SimulationEvent.AgentAudioStop::atMs)
                        .filter(t -> t <= stop.atMs()).max().orElse(-1);
                boolean agentSilent = lastStop >= lastStart;
                boolean spoke = agentStarts.stream().anyMatch(a -> a.atMs() > stop.atMs() && a.atMs() < resumed);
                if (agentSilent && spoke) {
                    cut.add(p.first());
                }
            });
        }
        return cut;
    }
}
