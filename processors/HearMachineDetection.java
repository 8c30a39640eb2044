package parley.processors;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import parley.call.CallEvents;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.outbound.DialQueue;

/**
 * Twilio's asynchronous answering-machine detection has an answer for a call Parley placed ({@code AnsweredBy}):
 * it is kept with the attempt. A machine whose greeting has ended (its beep, or silence) gets the script's
 * voicemail line on the call's lane ({@code direct:leave-voicemail}); the call then ends, and the attempt counts
 * as a voicemail, which is retried. A person, or no verdict, changes nothing: the conversation goes on.
 */
@Component
public class HearMachineDetection implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(HearMachineDetection.class);

    private final DialQueue dials;
    private final CallRegistry calls;
    private final CallEvents events;
    private final Endpoint leaveVoicemail;

    public HearMachineDetection(DialQueue dials, CallRegistry calls, CallEvents events) {
        this.dials = dials;
        this.calls = calls;
        this.events = events;
        this.leaveVoicemail = events.to("direct:leave-voicemail");
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        Map<String, String> form = VerifyTwilioSignature.formParameters(message);
        String callSid = form.get("CallSid");
        String answeredBy = form.getOrDefault("AnsweredBy", "unknown");
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
        message.setBody(null);
        if (callSid == null) {
            return;
        }
        dials.answeredBy(callSid, answeredBy);
        LOG.info("Call {} was answered by {}", callSid, answeredBy);
        CallSession call = calls.byCallSid(callSid);
        if (call != null && answeredBy.startsWith("machine_end")) {
            events.send(call, leaveVoicemail, answeredBy);
        }
    }
}
