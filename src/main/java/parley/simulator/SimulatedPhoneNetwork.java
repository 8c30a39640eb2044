package parley.simulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.config.ParleyProperties;
import parley.outbound.DialQueue;
import parley.outbound.Dialer;

/**
 * A phone network in the JVM that takes Parley's dials when no Twilio account is set, and calls Parley back as
 * Twilio would: the call's status steps to {@code /twilio/status}, the lead's answer to the voice URL and its
 * audio on the media stream it names, answering-machine detection to {@code /twilio/amd}. Who picks up a number
 * is a {@link Prospect} ({@code parley.outbound.simulator.prospects}); those who answer talk in real time
 * through the {@link CallSimulator}, in its synthetic voice.
 *
 * <p>Each call under way holds one of {@code max-calls} threads, ringing included; a dial when all are taken
 * is put off, as Twilio puts off an account over its rate.
 */
public final class SimulatedPhoneNetwork implements Dialer, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedPhoneNetwork.class);

    static final String MACHINE_GREETING = "Hi, you've reached Jane Doe. I can't take your call right now."
            + " Please leave a message after the tone.";
    /** The machine picks up and starts its greeting at once, over whatever the agent says. */
    private static final long GREETING_AT_MS = 300;
    private static final long BEEP_AFTER_MS = 300;
    private static final short[] BEEP = tone(1_000, 400);
    /** Twilio's detection tells a person within a few seconds of the answer... */
    private static final Duration HEARS_A_PERSON = Duration.ofMillis(2_500);
    /** ...and a machine once the silence after its beep shows the greeting is over. */
    private static final long HEARS_THE_GREETING_END_MS = 600;
    private static final Duration FULL_TRY_AGAIN = Duration.ofSeconds(30);
    private static final String NETWORK_CALLER_ID = "+15550199999";

    private final ParleyProperties.Outbound.Simulator settings;
    private final URI publicUrl;
    private final String authToken;
    private final String accountSid;
    private final String callerId;
    private final ThreadPoolExecutor calls;
    /** At most one detection is pending per call under way, so its queue stays within max-calls. */
    private final ScheduledExecutorService detections;
    private final CallSimulator simulator = new CallSimulator();
    private final HttpClient http = HttpClient.newHttpClient();
    private final Clock clock;
    /** The calls placed, by sid, oldest first; the oldest are let go beyond {@value #REMEMBERED}. */
    private final Map<String, Placed> placed = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Placed> eldest) {
            return size() > REMEMBERED;
        }
    };
    private static final int REMEMBERED = 1_000;
    private short[] machineGreeting;

    /** A call the network placed, and the status it ended with (null while it is under way). */
    private record Placed(String phone, Instant at, String ending) {
    }

    public SimulatedPhoneNetwork(ParleyProperties properties, Clock clock) {
        this.clock = clock;
        this.settings = properties.outbound().simulator();
        this.publicUrl = properties.publicUrl();
        this.authToken = properties.twilio().authToken();
        this.accountSid = properties.twilio().accountSid().isBlank() ? SimulatedCall.newSid("AC")
                : properties.twilio().accountSid();
        this.callerId = properties.outbound().callerId().isBlank() ? NETWORK_CALLER_ID
                : properties.outbound().callerId();
        AtomicInteger lines = new AtomicInteger();
        this.calls = new ThreadPoolExecutor(settings.maxCalls(), settings.maxCalls(), 0, TimeUnit.MILLISECONDS,
                new SynchronousQueue<>(), task -> {
                    Thread thread = new Thread(task, "simulated-line-" + lines.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.detections = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "simulated-machine-detection");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public Result place(DialQueue.Claimed dial) {
        String callSid = SimulatedCall.newSid("CA");
        Prospect prospect = settings.prospect(dial.phone());
        // Remembered before it rings, so that however soon it ends, its ending is kept.
        synchronized (placed) {
            placed.put(callSid, new Placed(dial.phone(), clock.instant(), null));
        }
        try {
            calls.execute(() -> ring(callSid, dial, prospect));
        } catch (RejectedExecutionException full) {
            synchronized (placed) {
                placed.remove(callSid);
            }
            return new Result.Later(FULL_TRY_AGAIN, "the simulated phone network has " + settings.maxCalls()
                    + " calls under way (parley.outbound.simulator.max-calls)");
        }
        LOG.info("Simulated call {} to {}: {}", callSid, dial.phone(), prospect);
        return new Result.Placed(callSid);
    }

    @Override
    public Optional<String> placedSince(String phone, Instant since) {
        synchronized (placed) {
            return placed.entrySet().stream().filter(call -> call.getValue().phone().equals(phone)
                    && !call.getValue().at().isBefore(since)).map(Map.Entry::getKey).findFirst();
        }
    }

    @Override
    public Optional<String> endedWith(String callSid) {
        synchronized (placed) {
            return Optional.ofNullable(placed.get(callSid)).map(Placed::ending);
        }
    }

    private void ring(String callSid, DialQueue.Claimed dial, Prospect prospect) {
        Webhooks webhooks = Webhooks.of(publicUrl, dial.attemptId());
        Map<String, String> about = new LinkedHashMap<>();
        about.put("AccountSid", accountSid);
        about.put("CallSid", callSid);
        about.put("From", callerId);
        about.put("To", dial.phone());
        about.put("Direction", "outbound-api");
        about.put("ApiVersion", "2010-04-01");
        try {
            status(webhooks, about, "initiated", Map.of());
            status(webhooks, about, "ringing", Map.of());
            switch (prospect) {
                case BUSY -> {
                    Thread.sleep(settings.ringsFor().toMillis());
                    status(webhooks, about, "busy", Map.of());
                }
                case NO_ANSWER -> {
                    Thread.sleep(settings.noAnswerAfter().toMillis());
                    status(webhooks, about, "no-answer", Map.of());
                }
                default -> {
                    Thread.sleep(settings.ringsFor().toMillis());
                    answer(webhooks, about, prospect);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Simulated call {} to {} broke off: {}", callSid, dial.phone(), e.toString());
        }
    }

    /** Picks up, asks the voice URL what to do, and talks on the stream it names until someone hangs up. */
    private void answer(Webhooks webhooks, Map<String, String> about, Prospect prospect)
            throws IOException, InterruptedException {
        long answeredAt = System.nanoTime();
        status(webhooks, about, "in-progress", Map.of());
        Map<String, String> form = new LinkedHashMap<>(about);
        form.put("CallStatus", "in-progress");
        HttpResponse<String> answer = TwilioWebhooks.post(http, webhooks.voice(), form, authToken);
        TwilioWebhooks.Twiml twiml = new TwilioWebhooks.Twiml(answer.body());
        if (answer.statusCode() != 200 || twiml.streamUrl() == null) {
            LOG.warn("Simulated call {}: the voice URL answered {} {}, so the call ends", about.get("CallSid"),
                    answer.statusCode(), answer.body());
            status(webhooks, about, twiml.rejectedBusy() ? "busy" : "completed", Map.of());
            return;
        }
        SimulatedCall.Builder call = SimulatedCall.to(twiml.streamUrl().toString()).callSid(about.get("CallSid"))
                .accountSid(accountSid).authToken(authToken.isBlank() ? null : authToken);
        twiml.parameters().forEach(call::parameter);
        long detectedAfterMs = talk(prospect, call);
        String answeredBy = prospect == Prospect.VOICEMAIL ? "machine_end_beep" : "human";
        detections.schedule(() -> detect(webhooks, about, answeredBy, detectedAfterMs), detectedAfterMs,
                TimeUnit.MILLISECONDS);
        simulator.runAnswered(call.build());
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - answeredAt);
        status(webhooks, about, "completed", Map.of("CallDuration", Long.toString(seconds)));
    }

    /** What the one who picked up says; returns when, after the answer, machine detection knows who it is. */
    private long talk(Prospect prospect, SimulatedCall.Builder call) {
        switch (prospect) {
            case BOOKS -> SampleCalls.booking(call);
            case ASKS_TO_BE_CALLED_BACK -> call.say("Sorry, I'm driving, can you ring me later?")
                    .say("Tomorrow at 3 pm.").idleHangup(Duration.ofSeconds(5)).maxDuration(Duration.ofSeconds(60));
            case OPTS_OUT -> call.say("Please don't call me again.")
                    .idleHangup(Duration.ofSeconds(5)).maxDuration(Duration.ofSeconds(40));
            case VOICEMAIL -> {
                short[] greeting = machineGreeting();
                call.line(CallerLine.spoken(MACHINE_GREETING, greeting).atMs(GREETING_AT_MS))
                        .line(CallerLine.pcm("beep", BEEP).afterPause(BEEP_AFTER_MS))
                        .idleHangup(Duration.ofSeconds(8)).maxDuration(Duration.ofSeconds(90));
                return GREETING_AT_MS + greeting.length / 8 + BEEP_AFTER_MS + BEEP.length / 8
                        + HEARS_THE_GREETING_END_MS;
            }
            default -> throw new IllegalArgumentException(prospect + " does not pick up");
        }
        return HEARS_A_PERSON.toMillis();
    }

    private synchronized short[] machineGreeting() {
        if (machineGreeting == null) {
            machineGreeting = simulator.speak(MACHINE_GREETING);
        }
        return machineGreeting;
    }

    private void detect(Webhooks webhooks, Map<String, String> about, String answeredBy, long afterMs) {
        Map<String, String> form = new LinkedHashMap<>(about);
        form.put("AnsweredBy", answeredBy);
        form.put("MachineDetectionDuration", Long.toString(afterMs));
        try {
            TwilioWebhooks.post(http, webhooks.machineDetection(), form, authToken);
        } catch (IOException e) {
            LOG.warn("Simulated call {}: machine detection could not be posted: {}", about.get("CallSid"), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void status(Webhooks webhooks, Map<String, String> about, String status, Map<String, String> more)
            throws IOException, InterruptedException {
        if (ENDED.contains(status)) {
            synchronized (placed) {
                placed.computeIfPresent(about.get("CallSid"), (sid, call) -> new Placed(call.phone(), call.at(), status));
            }
        }
        Map<String, String> form = new LinkedHashMap<>(about);
        form.put("CallStatus", status);
        form.putAll(more);
        HttpResponse<String> answer = TwilioWebhooks.post(http, webhooks.status(), form, authToken);
        if (answer.statusCode() >= 300) {
            LOG.warn("Simulated call {}: status {} was answered {}", about.get("CallSid"), status, answer.statusCode());
        }
    }

    private static short[] tone(int hz, int ms) {
        short[] samples = new short[8 * ms];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) (8_000 * Math.sin(2 * Math.PI * hz * i / 8_000.0));
        }
        return samples;
    }

    @Override
    public void close() {
        calls.shutdownNow();
        detections.shutdownNow();
        simulator.close();
    }
}
