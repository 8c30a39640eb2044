package parley.processors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * {@code GET /actuator/health}: Spring Boot's health of Parley and of each part it needs (the database, the
 * recognizer, the voices, Kafka when dialing, the records' journal), as Spring Boot's own endpoint writes it;
 * 200 when up, 503 when any part is down, so that a load balancer takes the instance out.
 */
@Component
public class ServeHealth implements Processor {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HealthEndpoint health;

    public ServeHealth(HealthEndpoint health) {
        this.health = health;
    }

    @Override
    public void process(Exchange exchange) throws JsonProcessingException {
        HealthComponent now = health.health();
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        boolean up = Status.UP.equals(now.getStatus()) || Status.UNKNOWN.equals(now.getStatus());
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, up ? 200 : 503);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(JSON.writeValueAsString(now));
    }
}
