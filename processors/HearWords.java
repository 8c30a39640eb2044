package parley.processors;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import parley.call.CallRegistry;
import parley.hearing.CallerHearing;
import parley.hearing.HearingEvent;
import parley.call.CallSession;
import parley.hearing.CallerWords;
import parley.stt.Transcript;
import parley.stt.Word;

/** Puts a recognizer result's words on the call's timeline, where turn-taking reads them. */
@Component
public class HearWords implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(HearWords.class);

    private final CallRegistry calls;

    public HearWords(CallRegistry calls) {
        this.calls = calls;
    }

    @Override
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        if (call == null) {
            exchange.getMessage().setBody(null);
            return;
        }
        Transcript transcript = exchange.getMessage().getBody(Transcript.class);
        List<CallerWords.Word> words = new ArrayList<>(transcript.words().size());
        for (Word word : transcript.words()) {
            words.add(new CallerWords.Word(word.word(), Math.round(word.start() * 1000)));
        }
        LOG.debug("Call {}: {} {}", call.callId(), transcript.isFinal() ? "final" : "interim", words);
        CallerHearing hearing = call.hearing();
        hearing.words().heard(words, transcript.isFinal(), transcript.fromFinalize(),
                Math.round((transcript.start() + transcript.duration()) * 1000));
        if (transcript.fromFinalize()) {
            hearing.timer().finalReceived();
        }
        List<HearingEvent> decided = hearing.turns().onWords();
        exchange.getMessage().setBody(decided.isEmpty() ? null : decided);
    }
}
