package parley.processors;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.vertx.websocket.VertxWebsocketConstants;
import org.springframework.stereotype.Component;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.config.ParleyProperties;
import parley.telephony.BadFrameException;
import parley.telephony.FrameProblem;
import parley.telephony.FrameRejections;
import parley.telephony.StreamCodec;
import parley.telephony.StreamEvent;

/**
 * Turns a Media Streams text frame into a {@link StreamEvent} body, with its Twilio event name in the
 * {@code twilioEvent} header for the route to branch on. A frame Parley cannot use is counted, logged with
 * the call id, and dropped: the call goes on.
 */
@Component
public class ReadStreamMessage implements Processor {

    public static final String EVENT_HEADER = "twilioEvent";

    private final CallRegistry calls;
    private final FrameRejections rejections;
    private final int maxFrameBytes;

    public ReadStreamMessage(CallRegistry calls, FrameRejections rejections, ParleyProperties properties) {
        this.calls = calls;
        this.rejections = rejections;
        this.maxFrameBytes = properties.media().maxFrameBytes();
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        CallSession call = calls.of(exchange);
        if (call == null) {
            // The call is over (Parley hung up, or Twilio stopped); frames Twilio had already sent are no fault.
            exchange.setRouteStop(true);
            return;
        }
        try {
            StreamEvent event = read(message.getBody(), call);
            message.setBody(event);
            message.setHeader(EVENT_HEADER, event.event());
        } catch (BadFrameException e) {
            rejections.reject(call, message.getHeader(VertxWebsocketConstants.CONNECTION_KEY, String.class),
                    e.problem(), e.getMessage());
            exchange.setRouteStop(true);
        }
    }

    private StreamEvent read(Object body, CallSession call) throws BadFrameException {
        if (!(body instanceof String frame)) {
            throw new BadFrameException(FrameProblem.BINARY_FRAME, "Twilio sends text frames only");
        }
        // JSON is ASCII on this socket, so characters count bytes.
        if (frame.length() > maxFrameBytes) {
            throw new BadFrameException(FrameProblem.OVERSIZE, frame.length() + " bytes, limit " + maxFrameBytes);
        }
        StreamEvent event = StreamCodec.read(frame);
        if (event instanceof StreamEvent.CallerAudio && !call.streaming()) {
            throw new BadFrameException(FrameProblem.MEDIA_BEFORE_START, "media outside a started stream");
        }
        return event;
    }
}
