package parley.processors;

import java.io.IOException;
import java.sql.Array;
import java.sql.SQLException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.postgresql.util.PGobject;
import org.springframework.stereotype.Component;

/**
 * The body (rows read from the database) becomes the JSON answer of an API request. Times are ISO-8601;
 * {@code jsonb} columns (slots, meeting, providers) are JSON in the answer, not strings holding JSON; arrays
 * are arrays.
 */
@Component
public class WriteJson implements Processor {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .registerModule(new SimpleModule()
                    .addSerializer(PGobject.class, new JsonSerializer<>() {
                        @Override
                        public void serialize(PGobject value, JsonGenerator out, SerializerProvider provider)
                                throws IOException {
                            if (value.getValue() == null) {
                                out.writeNull();
                            } else if (value.getType().startsWith("json")) {
                                out.writeRawValue(value.getValue());
                            } else {
                                out.writeString(value.getValue());
                            }
                        }
                    })
                    .addSerializer(Array.class, new JsonSerializer<>() {
                        @Override
                        public void serialize(Array value, JsonGenerator out, SerializerProvider provider)
                                throws IOException {
                            try {
                                out.writeObject(value.getArray());
                            } catch (SQLException e) {
                                throw new IOException("an array column could not be read", e);
                            }
                        }
                    }))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** The API's answer to a request it refuses: {@code status}, and {@code {"error": "..."}} saying why. */
    public static void error(Message message, int status, String error) {
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(JSON.createObjectNode().put("error", error).toString());
    }

    @Override
    public void process(Exchange exchange) throws JsonProcessingException {
        Object body = exchange.getMessage().getBody();
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(JSON.writeValueAsString(body));
    }
}
