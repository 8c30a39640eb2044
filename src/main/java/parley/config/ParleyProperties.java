package parley.config;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.DayOfWeek;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import parley.simulator.Prospect;

/**
 * Every {@code parley.*} setting, documented where it is set: in the top-level application.yaml.
 */
@ConfigurationProperties("parley")
public record ParleyProperties(
        @DefaultValue("http://localhost:8080") URI publicUrl,
        @DefaultValue Twilio twilio,
        @DefaultValue Media media,
        @DefaultValue Playback playback,
        @DefaultValue Calls calls,
        @DefaultValue Hearing hearing,
        @DefaultValue Voice voice,
        @DefaultValue Stt stt,
        @DefaultValue Tts tts,
        @DefaultValue Conversation conversation,
        @DefaultValue Llm llm,
        @DefaultValue("classpath:scripts/acme-b2b.yaml") String script,
        @DefaultValue Records records,
        @DefaultValue Outbound outbound) {

    /** Outbound calling: dial requests from Kafka, the rules checked before each dial, the limits. */
    public record Outbound(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("localhost:9092") String kafkaBrokers,
            @DefaultValue("parley.dial-requests") String dialTopic,
            @DefaultValue("parley.dial-requests.dead") String deadLetterTopic,
            @DefaultValue("parley.dial-outcomes") String outcomesTopic,
            @DefaultValue("parley-dialer") String groupId,
            @DefaultValue("") String callerId,
            @DefaultValue("08:00") java.time.LocalTime callingFrom,
            @DefaultValue("21:00") java.time.LocalTime callingUntil,
            @DefaultValue("10") int maxConcurrentPerAccount,
            @DefaultValue("1") int maxDialsPerSecondPerAccount,
            @DefaultValue("3") int maxAttempts,
            @DefaultValue("2h") Duration retryAfter,
            @DefaultValue("1s") Duration checkEvery,
            @DefaultValue("20") int claimAtOnce,
            @DefaultValue("2m") Duration claimTimeout,
            @DefaultValue("3h") Duration statusWait,
            @DefaultValue("2m") Duration recordWait,
            @DefaultValue("") String instance,
            @DefaultValue("true") boolean leaveVoicemail,
            Map<String, Campaign> campaigns,
            @DefaultValue Simulator simulator) {

        /**
         * The simulated phone network that takes the dials when no Twilio account is set: how many of its
         * calls may be under way, how long its phones ring, and who picks up which number.
         */
        public record Simulator(@DefaultValue("4") int maxCalls,
                                @DefaultValue("3s") Duration ringsFor,
                                @DefaultValue("20s") Duration noAnswerAfter,
                                @DefaultValue("no-answer") Prospect otherwise,
                                Map<Prospect, List<String>> prospects) {
            /** Who picks up {@code phone}. */
            public Prospect prospect(String phone) {
                if (prospects != null) {
                    for (Map.Entry<Prospect, List<String>> entry : prospects.entrySet()) {
                        if (entry.getValue().contains(phone)) {
                            return entry.getKey();
                        }
                    }
                }
                return otherwise;
            }
        }

        /** A campaign's own settings; each one not set is the default above. */
        public record Campaign(java.time.LocalTime callingFrom, java.time.LocalTime callingUntil, Integer maxAttempts,
                               Duration retryAfter, Boolean leaveVoicemail) {
        }

        /** This instance's name in what it claims and tells: {@code instance}, else the JVM's (pid@host). */
        public String instanceName() {
            return instance.isBlank() ? ManagementFactory.getRuntimeMXBean().getName() : instance;
        }

        /** The settings of {@code campaign}: its own where it has them, the defaults elsewhere. */
        public Campaign campaign(String campaign) {
            Campaign own = campaigns == null || campaign == null ? null : campaigns.get(campaign);
            return new Campaign(
                    own != null && own.callingFrom() != null ? own.callingFrom() : callingFrom,
                    own != null && own.callingUntil() != null ? own.callingUntil() : callingUntil,
                    own != null && own.maxAttempts() != null ? own.maxAttempts() : maxAttempts,
                    own != null && own.retryAfter() != null ? own.retryAfter() : retryAfter,
                    own != null && own.leaveVoicemail() != null ? own.leaveVoicemail() : leaveVoicemail);
        }
    }

    /** Where call records go when no spring.datasource.url names a PostgreSQL, and where recordings go. */
    public record Records(@DefaultValue("data/postgres") String databaseFolder,
                          @DefaultValue("data/journal") String journalFolder,
                          @DefaultValue("5s") Duration replayEvery,
                          @DefaultValue("") String apiToken,
                          @DefaultValue("") String operatorPassword,
                          Map<String, String> operators,
                          @DefaultValue("12h") Duration sessionLength,
                          @DefaultValue("") String recordingFolder,
                          @DefaultValue("30m") Duration recordingMaxLength) {
        /** How much of each call is recorded; 0 when calls are not recorded. */
        public long recordingMs() {
            return recordingFolder.isBlank() ? 0 : recordingMaxLength.toMillis();
        }
    }

    public record Twilio(
            @DefaultValue("") String authToken,
            @DefaultValue("") String accountSid,
            @DefaultValue("https://api.twilio.com") URI apiUrl) {
        public boolean signaturesRequired() {
            return !authToken.isBlank();
        }
    }

    public record Media(
            @DefaultValue("16384") int maxFrameBytes,
            @DefaultValue("200ms") Duration maxFrameAudio,
            @DefaultValue("250") int maxQueuedFrames) {
    }

    public record Playback(
            @DefaultValue("200ms") Duration maxLead,
            @DefaultValue("2") int maxSpeedup,
            @DefaultValue("100ms") Duration markEvery) {
    }

    public record Calls(@DefaultValue("8") int workerThreads, @DefaultValue("500") int maxLive) {
    }

    public record Hearing(
            @DefaultValue("0.5") float threshold,
            @DefaultValue("0.35") float releaseThreshold,
            @DefaultValue("10ms") Duration vadBatchWindow,
            @DefaultValue("8") int maxWaitingWindows,
            @DefaultValue("150ms") Duration minSpeech,
            @DefaultValue("90ms") Duration minSilence,
            @DefaultValue("1500ms") Duration minInterrupt,
            @DefaultValue("1000ms") Duration falseInterruptionTimeout,
            @DefaultValue("1500ms") Duration uninterruptibleOpening,
            @DefaultValue({"uh-huh", "mm-hmm", "mhm", "yeah", "yep", "yes", "right", "okay", "ok", "sure"})
            List<String> backchannels,
            @DefaultValue EndOfTurnWaits endOfTurn,
            @DefaultValue TurnModel turnModel,
            @DefaultValue Echo echo,
            @DefaultValue("20") float quietVoiceBelow) {
    }

    /** The agent's own voice leaking back from the caller's phone, told apart from the caller by loudness. */
    public record Echo(
            @DefaultValue("300ms") Duration maxDelay,
            @DefaultValue("12") float returnLoss) {
    }

    /** Smart Turn, the ONNX model that hears from the audio whether the caller has finished. */
    public record TurnModel(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("0.5") float threshold,
            @DefaultValue("1") int threads,
            @DefaultValue("2") int maxWaiting,
            @DefaultValue("10") double maxRunsPerSecond) {
    }

    public record Conversation(
            @DefaultValue Understanding understanding,
            @DefaultValue("0.8") double scriptedAbove,
            @DefaultValue("3") int passages,
            @DefaultValue("knowledge") String knowledgeFolder,
            @DefaultValue("") String timeZone,
            @DefaultValue("sunday") DayOfWeek firstDayOfWeek) {
    }

    /** How callers' words are read against the script without a language model (see OfflinePolicy). */
    public record Understanding(
            @DefaultValue("bge-small-en-v1.5-q") String model,
            @DefaultValue("0.6") double threshold,
            @DefaultValue("0.3") double margin,
            @DefaultValue("") String phraseVectors) {
        public parley.conversation.OfflinePolicy.Tuning tuning() {
            return new parley.conversation.OfflinePolicy.Tuning(threshold, margin);
        }

        /** The file a model's vectors of the script's phrases are kept in; none when no folder is set. */
        public java.util.Optional<java.nio.file.Path> phraseVectorsFile(String modelId) {
            return phraseVectors.isBlank() ? java.util.Optional.empty()
                    : java.util.Optional.of(java.nio.file.Path.of(phraseVectors, modelId + ".vectors"));
        }
    }

    /** An OpenAI-compatible endpoint (OpenAI, Groq, Azure OpenAI, Ollama, vLLM); none: the offline policy. */
    public record Llm(
            @DefaultValue("") String baseUrl,
            @DefaultValue("") String apiKey,
            @DefaultValue("gpt-4o-mini") String fastModel,
            @DefaultValue("gpt-4o") String strongModel,
            @DefaultValue("2s") Duration firstTokenTimeout,
            @DefaultValue("15s") Duration answerTimeout,
            @DefaultValue("gpt-4o-mini") String summaryModel,
            @DefaultValue("20s") Duration summaryTimeout) {
        public boolean configured() {
            return !baseUrl.isBlank();
        }

        /** Local servers (Ollama, vLLM) need no key, but LangChain4j's OpenAI client will not go without one. */
        public String clientApiKey() {
            return apiKey.isBlank() ? "none" : apiKey;
        }
    }

    public record Voice(@DefaultValue("150") float offlineWordsPerMinute) {
    }

    public record Stt(@DefaultValue Deepgram deepgram, @DefaultValue Sandbox sandbox) {
    }

    /** Deepgram live transcription; with no URL, the in-process sandbox recognizer stands in for it. */
    public record Deepgram(
            @DefaultValue("") String url,
            @DefaultValue("") String apiKey,
            @DefaultValue("nova-3") String model,
            @DefaultValue("300ms") Duration endpointing,
            @DefaultValue("1000ms") Duration utteranceEnd) {
        public boolean sandboxed() {
            return url.isBlank();
        }
    }

    public record Sandbox(@DefaultValue("false") boolean enabled, @DefaultValue("150ms") Duration latency) {
    }

    public record Tts(
            @DefaultValue({"cartesia", "aura", "offline"}) List<String> voices,
            @DefaultValue("800ms") Duration maxSilence,
            @DefaultValue("2") int breakerFailures,
            @DefaultValue("30s") Duration breakerCooldown,
            @DefaultValue Cartesia cartesia,
            @DefaultValue Aura aura) {
    }

    public record Cartesia(
            @DefaultValue("wss://api.cartesia.ai/tts/websocket") URI url,
            @DefaultValue("") String apiKey,
            @DefaultValue("2025-04-16") String version,
            @DefaultValue("sonic-2") String model,
            @DefaultValue("") String voice,
            @DefaultValue("en") String language) {
    }

    public record Aura(
            @DefaultValue("wss://api.deepgram.com/v1/speak") URI url,
            @DefaultValue("") String apiKey,
            @DefaultValue("aura-2-thalia-en") String model) {
    }

    public record EndOfTurnWaits(
            @DefaultValue("400ms") Duration completeSentence,
            @DefaultValue("1500ms") Duration unfinished,
            @DefaultValue("350ms") Duration unclear) {
    }

    /** The Media Streams URL Twilio is told to dial: the public URL with a WebSocket scheme. */
    public URI mediaStreamUrl() {
        String scheme = "https".equals(publicUrl.getScheme()) ? "wss" : "ws";
        String base = publicUrl.toString().replaceFirst("^https?", scheme).replaceAll("/+$", "");
        return URI.create(base + "/twilio/media");
    }

    /** The URL Twilio signs for a webhook at {@code path}. */
    public String webhookUrl(String path) {
        return publicUrl.toString().replaceAll("/+$", "") + path;
    }
}
