package parley.processors;

import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import parley.config.ParleyProperties;
import parley.outbound.DialRequest;

/**
 * A dial request from Kafka becomes a {@link DialRequest}. One that cannot be dialed as it stands becomes its
 * dead letter instead, saying why, with the request's text and where it was read; header {@link #PROBLEM}
 * names the reason.
 */
@Component
public class ReadDialRequest implements Processor {

    /** Set, to the reason, when the request cannot be dialed. */
    public static final String PROBLEM = "dialRequestProblem";

    private static final Logger LOG = LoggerFactory.getLogger(ReadDialRequest.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ParleyProperties.Outbound outbound;
    private final Clock clock;

    public ReadDialRequest(ParleyProperties properties, Clock clock) {
        this.outbound = properties.outbound();
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        String text = message.getBody(String.class);
        try {
            message.setBody(DialRequest.read(text, campaign -> {
                ParleyProperties.Outbound.Campaign settings = outbound.campaign(campaign);
                return new DialRequest.Window(settings.callingFrom(), settings.callingUntil());
            }, clock.millis()));
        } catch (DialRequest.Invalid invalid) {
            Integer partition = message.getHeader(KafkaConstants.PARTITION, Integer.class);
            Long offset = message.getHeader(KafkaConstants.OFFSET, Long.class);
            LOG.warn("A dial request (partition {}, offset {}) goes to the dead letters: {}", partition, offset,
                    invalid.getMessage());
            ObjectNode letter = JSON.createObjectNode().put("reason", invalid.getMessage()).put("request", text);
            letter.put("partition", partition).put("offset", offset);
            message.setHeader(PROBLEM, invalid.getMessage());
            message.setBody(JSON.writeValueAsString(letter));
        }
    }
}
