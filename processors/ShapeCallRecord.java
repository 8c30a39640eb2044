package parley.processors;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import parley.call.CallEvent;
import parley.call.CallLog;
import parley.call.EndedCall;
import parley.conversation.ConversationHistory;
import parley.conversation.TurnRecord;
import parley.hearing.TurnTiming;
import parley.records.CallRecordRows;
import parley.records.CallRow;
import parley.records.EventRow;
import parley.records.LineRow;
import parley.records.TurnRow;

/**
 * An ended call, its summary (the body) and its recording become the rows its record is written as: its
 * {@code call_record} row, its turns with their timing as points in time, its lines and its events.
 */
@Component
public class ShapeCallRecord implements Processor {

    /** The exchange property that carries the ended call through the records route. */
    public static final String ENDED_CALL = "endedCall";
    /** The header that names who wrote the summary in the body: a model, or offline. */
    public static final String SUMMARY_WRITER = "summaryWriter";
    /** The property naming the call's recording, relative to the recording folder; absent when none. */
    public static final String RECORDING = "recording";

    private static final Logger LOG = LoggerFactory.getLogger(ShapeCallRecord.class);
    /** Slots hold dates and times (a meeting's): kept as ISO-8601 text in the record's JSON. */
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Override
    public void process(Exchange exchange) throws JsonProcessingException {
        EndedCall ended = exchange.getProperty(ENDED_CALL, EndedCall.class);
        String summary = exchange.getMessage().getBody(String.class).strip();
        String writer = exchange.getMessage().getHeader(SUMMARY_WRITER, String.class);
        LOG.info("Call {} summary ({}): {}", ended.callSid(), writer, summary);
        EndedCall.Circumstances how = ended.circumstances();
        CallLog log = how.log();
        String sid = ended.callSid();
        long startedAt = log.openedAt().toEpochMilli();
        long endedAt = how.endedAt().toEpochMilli();
        CallRow call = new CallRow(sid, how.direction(), how.from(), how.to(), ended.number(), how.lead(),
                how.campaign(), how.script(), how.scriptVersion(), startedAt, epochMs(log.answeredAt()), endedAt,
                ended.endReason(), endedAt - startedAt,
                ended.outcome() == null ? null : ended.outcome().name().toLowerCase(Locale.ROOT),
                ended.transferredTo(), JSON.writeValueAsString(ended.slots()),
                ended.meeting().isEmpty() ? null : JSON.writeValueAsString(ended.meeting()), summary, writer,
                JSON.writeValueAsString(log.servedBy()), exchange.getProperty(RECORDING, String.class));
        List<TurnRow> turns = new ArrayList<>(ended.turns().size());
        for (int i = 0; i < ended.turns().size(); i++) {
            turns.add(turnRow(sid, i + 1, ended.turns().get(i), log));
        }
        List<LineRow> lines = new ArrayList<>(ended.history().size());
        for (ConversationHistory.Entry entry : ended.history()) {
            lines.add(new LineRow(sid, lines.size() + 1, entry.speaker().name().toLowerCase(Locale.ROOT),
                    entry.line(), entry.text(), entry.interrupted(), entry.startMs(), entry.endMs()));
        }
        List<EventRow> events = new ArrayList<>();
        for (CallEvent event : log.events()) {
            events.add(new EventRow(sid, events.size() + 1, event.kind().label(), event.atMs(), event.detail()));
        }
        exchange.getMessage().setBody(new CallRecordRows(call, turns, lines, events));
    }

    /** A turn's row; its steps are moments after its speech end, all null for a turn that was never timed. */
    private static TurnRow turnRow(String sid, int number, TurnRecord turn, CallLog log) {
        TurnTiming timing = turn.timing();
        Long speechEnded = timing == null ? null : log.instantAt(timing.speechEndNanos()).toEpochMilli();
        return new TurnRow(sid, number, turn.said(), turn.route().name().toLowerCase(Locale.ROOT), turn.model(),
                turn.reason(), turn.sources().toArray(String[]::new), turn.begunEarly(), speechEnded,
                step(speechEnded, timing, TurnTiming::stopDetectedMs),
                step(speechEnded, timing, TurnTiming::finalizeSentMs),
                step(speechEnded, timing, TurnTiming::finalReceivedMs),
                step(speechEnded, timing, TurnTiming::verdictMs),
                step(speechEnded, timing, TurnTiming::decidedMs),
                step(speechEnded, timing, TurnTiming::firstTokenMs),
                step(speechEnded, timing, TurnTiming::firstVoiceByteMs),
                step(speechEnded, timing, TurnTiming::firstAudioMs));
    }

    /** When a step happened, in epoch ms; null when it did not, or the turn was never timed. */
    private static Long step(Long speechEnded, TurnTiming timing, Function<TurnTiming, Long> msAfterSpeechEnd) {
        Long ms = speechEnded == null ? null : msAfterSpeechEnd.apply(timing);
        return ms == null ? null : speechEnded + ms;
    }

    private static Long epochMs(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }
}
