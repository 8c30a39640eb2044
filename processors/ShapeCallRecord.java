package parley.processors;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.call.EndedCall;
import parley.conversation.TurnRecord;
import parley.hearing.TurnTiming;
import parley.records.CallRecordRows;
import parley.records.CallRow;
import parley.records.TurnRow;

/**
 * An ended call becomes the rows its record is written as: its {@code call_record} row, and its
 * {@code turn_record} rows in the order its turns were answered.
 */
@Component
public class ShapeCallRecord implements Processor {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void process(Exchange exchange) throws JsonProcessingException {
        EndedCall ended = exchange.getMessage().getBody(EndedCall.class);
        CallRow call = new CallRow(ended.callSid(), ended.number(), ended.endReason(),
                ended.length().toMillis(), ended.outcome() == null ? null : ended.outcome().name().toLowerCase(),
                ended.transferredTo(), JSON.writeValueAsString(ended.slots()),
                ended.meeting() == null ? null : JSON.writeValueAsString(ended.meeting()));
        List<TurnRow> turns = new ArrayList<>(ended.turns().size());
        for (int i = 0; i < ended.turns().size(); i++) {
            TurnRecord turn = ended.turns().get(i);
            TurnTiming timing = turn.timing();
            turns.add(new TurnRow(ended.callSid(), i + 1, turn.said(), turn.route().name().toLowerCase(),
                    turn.reason(), turn.sources().toArray(String[]::new), turn.begunEarly(),
                    timing == null ? null : timing.stopDetectedMs(), timing == null ? null : timing.finalizeSentMs(),
                    timing == null ? null : timing.finalReceivedMs(), timing == null ? null : timing.verdictMs(),
                    timing == null ? null : timing.decidedMs(), timing == null ? null : timing.firstAudioMs()));
        }
        exchange.getMessage().setBody(new CallRecordRows(call, turns));
    }
}
