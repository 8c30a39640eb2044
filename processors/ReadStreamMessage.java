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
    private final int maxFrameAudioBytes;

    public ReadStreamMessage(CallRegistry calls, FrameRejections rejections, ParleyProperties properties) {
        this.calls = calls;
        this.rejections = rejections;
        this.maxFrameAudioBytes = (int) properties.media().maxFrameAudio().toMillis() * 8;
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
        StreamEvent event = StreamCodec.read(frame);
        if (event instanceof StreamEvent.CallerAudio audio) {
            if (!call.streaming()) {
                throw new BadFrameException(FrameProblem.MEDIA_BEFORE_START, "media outside a started stream");
            }
            // Twilio sends 20 ms a frame: far more is a peer trying to make one call do the work of many.
            if (audio.payload().length > maxFrameAudioBytes) {
                throw new BadFrameException(FrameProblem.OVERSIZE, audio.payload().length / 8 + " ms of audio in one"
                        + " frame, limit " + maxFrameAudioBytes / 8);
            }
        }
        return event;
    }
}
