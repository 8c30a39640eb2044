package parley.processors;

import java.util.List;
import java.util.Map;

import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Connect;
import com.twilio.twiml.voice.Parameter;
import com.twilio.twiml.voice.Reject;
import com.twilio.twiml.voice.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import parley.call.CallRegistry;
import parley.outbound.DialQueue;
import parley.config.ParleyProperties;
import parley.telephony.StreamTickets;

/**
 * Answers Twilio's voice webhook with TwiML that connects the call to Parley's media socket.
 *
 * <p>{@code <Connect><Stream>} is the bidirectional stream ({@code <Start><Stream>} could never carry the
 * agent's voice back). The URL carries no query string; the call's context travels as {@code <Parameter>}s,
 * which Twilio hands back in the stream's start event.
 */
@Component
public class AnswerCall implements Processor {

    /** Webhook fields passed on to the call, in this order. */
    /** The voice URL's query parameter naming the dial attempt of a call Parley placed. */
    static final String ATTEMPT = "attempt";
    static final List<String> CALL_CONTEXT = List.of("CallSid", "AccountSid", "From", "To", "Direction");
    /** Twilio's limit on a parameter's name and value together. */
    private static final int PARAMETER_LIMIT = 500;

    private static final Logger LOG = LoggerFactory.getLogger(AnswerCall.class);

    private final ParleyProperties properties;
    private final StreamTickets tickets;
    private final CallRegistry calls;
    private final DialQueue dials;

    public AnswerCall(ParleyProperties properties, StreamTickets tickets, CallRegistry calls, DialQueue dials) {
        this.properties = properties;
        this.tickets = tickets;
        this.calls = calls;
        this.dials = dials;
    }

    /**
     * A call Parley placed: its lead, campaign and attempt, and the request's variables for the script, as
     * the stream's parameters. An attempt number that is not Parley's (the URL is signed, so only a bug makes
     * one) adds nothing: the call goes on as an unknown one.
     */
    private Map<String, String> leadContext(String attempt) {
        try {
            return dials.lead(Long.parseLong(attempt)).map(DialQueue.Lead::streamParameters).orElse(Map.of());
        } catch (NumberFormatException e) {
            LOG.warn("The voice webhook named attempt '{}', which is not a number", attempt);
            return Map.of();
        }
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        Map<String, String> form = VerifyTwilioSignature.formParameters(message);
        String attempt = message.getHeader(ATTEMPT, String.class);
        message.getHeaders().clear();
        message.setHeader(Exchange.CONTENT_TYPE, "text/xml");
        if (calls.atLimit()) {
            LOG.warn("Call {} answered busy: {} calls live, the limit (parley.calls.max-live) is {}",
                    form.get("CallSid"), calls.size(), calls.limit());
            message.setBody(new VoiceResponse.Builder()
                    .reject(new Reject.Builder().reason(Reject.Reason.BUSY).build()).build().toXml());
            return;
        }
        Stream.Builder stream = new Stream.Builder().url(properties.mediaStreamUrl().toString());
        for (String name : CALL_CONTEXT) {
            String value = form.get(name);
            if (value != null && name.length() + value.length() < PARAMETER_LIMIT) {
                stream.parameter(new Parameter.Builder().name(name).value(value).build());
            }
        }
        if (attempt != null) {
            leadContext(attempt).forEach((name, value) -> {
                if (name.length() + value.length() < PARAMETER_LIMIT) {
                    stream.parameter(new Parameter.Builder().name(name).value(value).build());
                }
            });
        }
        String callSid = form.get("CallSid");
        if (tickets.required() && callSid != null) {
            stream.parameter(new Parameter.Builder().name(StreamTickets.PARAMETER).value(tickets.issue(callSid)).build());
        }
        VoiceResponse twiml = new VoiceResponse.Builder()
                .connect(new Connect.Builder().stream(stream.build()).build())
                .build();
        message.setBody(twiml.toXml());
    }
}
