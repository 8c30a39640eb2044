package parley.processors;

import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.outbound.DialQueue;
import parley.records.CallRecordRows;
import parley.records.CallRow;

/**
 * A call Parley placed ended with the lead asking to be called back at a time (the script's
 * {@code call_back_later} outcome, with its {@code callback_time}): that attempt is scheduled. Done before the
 * call's record is written, so that the attempt's outcome, published once the record is in, names it.
 */
@Component
public class ScheduleCallBack implements Processor {

    /** The slot a script collects the call-back time in. */
    static final String SLOT = "callback_time";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DialQueue dials;

    public ScheduleCallBack(DialQueue dials) {
        this.dials = dials;
    }

    @Override
    public void process(Exchange exchange) throws JsonProcessingException {
        CallRow call = exchange.getMessage().getBody(CallRecordRows.class).call();
        if (call.leadRef() == null || !"call_back_later".equals(call.outcome())) {
            return;
        }
        JsonNode time = JSON.readTree(call.slotsJson()).path(SLOT);
        if (!time.isTextual()) {
            return;
        }
        try {
            dials.scheduleCallBack(call.callSid(), LocalDateTime.parse(time.asText()));
        } catch (DateTimeParseException e) {
            throw new IllegalStateException("call " + call.callSid() + ": " + SLOT + " is not a date and time: "
                    + time.asText(), e);
        }
    }
}
