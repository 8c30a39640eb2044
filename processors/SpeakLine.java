package parley.processors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import parley.call.AgentPlayback;
import parley.call.CallEvent;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.conversation.AgentLine;
import parley.conversation.AgentReply;
import parley.conversation.HeardText;
import parley.conversation.ModelTurn;
import parley.hearing.TurnTiming;
import parley.tts.Phrases;
import parley.tts.SpeechListener;
import parley.tts.SpeechStream;
import parley.tts.VoiceChain;
import parley.tts.WordTiming;
import parley.voice.AgentAudio;

/**
 * Voices the agent's reply to the caller: phrase by phrase into the first voice of the chain as the reply is
 * written, its audio played as it arrives, the turn's cancel hook stopping the voice at a barge-in. A line
 * already voiced (scripted lines repeat on every call) is played from the cache at once. A reply of an agent
 * turn that was cancelled while it was on its way is dropped.
 */
@Component
public class SpeakLine implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(SpeakLine.class);

    /** Header naming the agent turn a line belongs to (see {@link parley.conversation.AgentTurns}). */
    public static final String AGENT_TURN = "agentTurn";
    /** Property naming the caller turn (its number on the call) a line answers; absent for other lines. */
    public static final String ANSWERS_TURN = "answersTurn";
    /** Property holding the {@link ModelTurn} whose answer a line is, when a model writes it. */
    public static final String MODEL_ANSWER = "modelAnswer";
    private static final int CACHED_LINES = 256;

    private final CallRegistry calls;
    private final VoiceChain voices;
    private final Map<String, Voiced> voiced = new ConcurrentHashMap<>();

    /** A line's audio kept for the next call to say it, with the voice that rendered it, for the record. */
    private record Voiced(AgentAudio audio, String voice) {
    }

    public SpeakLine(CallRegistry calls, VoiceChain voices) {
        this.calls = calls;
        this.voices = voices;
    }

    @Override
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        Long turn = exchange.getMessage().getHeader(AGENT_TURN, Long.class);
        if (call == null || !call.streaming() || turn == null || !call.agentTurns().isCurrent(turn)) {
            return;
        }
        Object body = exchange.getMessage().getBody();
        AgentReply reply = body instanceof AgentLine line ? AgentReply.whole(line.text()) : (AgentReply) body;
        // Only a reply that was whole from the start can be a line said before, and be kept for the next call.
        boolean whole = reply.finished();
        Voiced cached = whole ? voiced.get(reply.text()) : null;
        AtomicLong firstVoiceByte = new AtomicLong(-1);
        Runnable firstAudioSent = replyTimer(exchange, call, firstVoiceByte);
        if (cached != null) {
            call.log().servedBy("voice", cached.voice());
            call.playback().enqueue(cached.audio(), firstAudioSent);
            return;
        }
        AgentPlayback.Utterance utterance = call.playback().speak("", firstAudioSent);
        SpeechStream stream = voices.open(call.callId() + "-" + turn,
                new Voicing(whole ? reply.text() : null, utterance, call, firstVoiceByte));
        call.agentTurns().onCancel(turn, stream::cancel);
        Phrases.Assembler phrases = new Phrases.Assembler();
        reply.read(new AgentReply.Reader() {
            public void more(String text) {
                utterance.say(text);
                phrases.add(text).forEach(stream::push);
            }

            public void end() {
                stream.push(phrases.rest());
                stream.finish();
            }
        });
    }

    /**
     * For a line answering a caller's turn: completes the turn's timing with the model's first token, the
     * voice's first audio and the answer's first audio to Twilio.
     */
    private static Runnable replyTimer(Exchange exchange, CallSession call, AtomicLong firstVoiceByte) {
        Integer turn = exchange.getProperty(ANSWERS_TURN, Integer.class);
        TurnTiming timing = exchange.getProperty(EndCallerTurn.TIMING, TurnTiming.class);
        ModelTurn model = exchange.getProperty(MODEL_ANSWER, ModelTurn.class);
        if (turn == null || timing == null) {
            return () -> { };
        }
        return () -> {
            TurnTiming answered = timing.answered(model == null ? -1 : model.firstTokenNanos(),
                    firstVoiceByte.get(), System.nanoTime());
            call.replyStarted(turn, answered);
            LOG.info("Call {}: turn {} timing in ms after the caller's speech ended: {}", call.callId(), turn,
                    answered);
        };
    }

    /** Voices a line ahead of any call (the script's lines at start-up); returns once it is cached. */
    public void prerender(String text, Duration within) throws InterruptedException {
        Voicing voicing = new Voicing(text, null, null, new AtomicLong(-1));
        SpeechStream stream = voices.open("prerender", voicing);
        Phrases.split(text).forEach(stream::push);
        stream.finish();
        if (!voicing.over.await(within.toMillis(), TimeUnit.MILLISECONDS)) {
            stream.cancel();
        }
    }

    private static List<HeardText.TimedWord> timedWords(List<WordTiming> words) {
        List<HeardText.TimedWord> timed = new ArrayList<>(words.size());
        for (WordTiming word : words) {
            timed.add(new HeardText.TimedWord(word.word(), Math.round(word.endSeconds() * 1000)));
        }
        return timed;
    }

    private void remember(String text, List<byte[]> chunks, List<HeardText.TimedWord> words, String voice) {
        int length = chunks.stream().mapToInt(chunk -> chunk.length).sum();
        byte[] audio = new byte[length];
        int at = 0;
        for (byte[] chunk : chunks) {
            System.arraycopy(chunk, 0, audio, at, chunk.length);
            at += chunk.length;
        }
        if (voiced.size() >= CACHED_LINES) {
            voiced.clear();
        }
        voiced.put(text, new Voiced(new AgentAudio(text, audio, words), voice));
    }

    /**
     * Takes a voice's audio as it arrives: plays it on the call (when there is one) and keeps a line that can
     * recur once it is whole.
     */
    private final class Voicing implements SpeechListener {
        /** The line to keep the audio of, or null for a reply written on the fly. */
        private final String text;
        /** Where the audio plays, or null when the line is voiced ahead of any call. */
        private final AgentPlayback.Utterance utterance;
        private final List<byte[]> chunks = new ArrayList<>();
        private final List<HeardText.TimedWord> timed = new ArrayList<>();
        private final CountDownLatch over = new CountDownLatch(1);
        /** The call the line is said on, or null when it is voiced ahead of any call. */
        private final CallSession call;
        private final AtomicLong firstAudioNanos;
        /** The voice speaking the line: the chain's first, or the one a failure handed it to. */
        private volatile String voice;

        Voicing(String text, AgentPlayback.Utterance utterance, CallSession call, AtomicLong firstAudioNanos) {
            this.text = text;
            this.utterance = utterance;
            this.call = call;
            this.firstAudioNanos = firstAudioNanos;
        }

        public void onVoice(String voice) {
            this.voice = voice;
            if (call != null) {
                call.log().servedBy("voice", voice);
            }
        }

        public void onHandoff(String failed, String problem) {
            if (call != null) {
                call.log().note(CallEvent.Kind.VOICE_FALLBACK, failed + ": " + problem);
            }
        }

        public void onAudio(byte[] mulaw8k) {
            firstAudioNanos.compareAndSet(-1, System.nanoTime());
            if (text != null) {
                chunks.add(mulaw8k);
            }
            if (utterance != null) {
                utterance.append(mulaw8k);
            }
        }

        public void onWords(List<WordTiming> words) {
            List<HeardText.TimedWord> these = timedWords(words);
            timed.addAll(these);
            if (utterance != null) {
                utterance.words(these);
            }
        }

        public void onDone() {
            if (text != null) {
                remember(text, chunks, timed, voice);
            }
            end();
        }

        public void onError(String problem) {
            end();
        }

        private void end() {
            if (utterance != null) {
                utterance.finish();
            }
            over.countDown();
        }
    }
}
