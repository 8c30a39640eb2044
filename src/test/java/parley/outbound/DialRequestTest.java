package parley.outbound;

import java.time.LocalTime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a dial request must say, and what each fault is called in its dead letter. */
class DialRequestTest {

    private static final LocalTime EIGHT = LocalTime.of(8, 0);
    private static final LocalTime NINE_PM = LocalTime.of(21, 0);

    @Test
    void aWholeRequestIsReadWithItsWindowAndVariables() throws Exception {
        DialRequest request = read("{\"idempotency_key\": \"k\", \"account\": \"acme\", \"campaign\": \"c\","
                + " \"lead_id\": \"7\", \"phone\": \"+442079460000\", \"time_zone\": \"Europe/London\","
                + " \"calling_window\": {\"from\": \"10:00\", \"until\": \"16:30\"},"
                + " \"variables\": {\"first_name\": \"Ann\", \"seats\": 12}, \"crm_note\": \"ignored\"}");

        assertThat(request.phone()).isEqualTo("+442079460000");
        assertThat(request.script()).isNull();
        assertThat(request.windowFrom()).isEqualTo(LocalTime.of(10, 0));
        assertThat(request.windowUntil()).isEqualTo(LocalTime.of(16, 30));
        assertThat(request.variables()).containsEntry("first_name", "Ann").containsEntry("seats", "12");
        assertThat(request.receivedAtMs()).isEqualTo(42);
    }

    @Test
    void eachFaultIsNamed() {
        String base = "\"idempotency_key\": \"k\", \"account\": \"a\", \"campaign\": \"c\", \"lead_id\": \"l\"";
        assertInvalid("[1, 2]", "not a JSON object");
        assertInvalid("{" + base + ", \"time_zone\": \"UTC\"}", "phone is missing");
        assertInvalid("{" + base + ", \"phone\": \"+15550100\", \"time_zone\": \"Mars/Olympus\"}",
                "time_zone is not a time zone: Mars/Olympus");
        assertInvalid("{" + base + ", \"phone\": \"+0550100\", \"time_zone\": \"UTC\"}",
                "phone is not an E.164 number (+ and up to 15 digits): +0550100");
        assertInvalid("{" + base + ", \"phone\": \"+15550100\", \"time_zone\": \"UTC\", \"calling_window\":"
                + " {\"from\": \"18:00\", \"until\": \"09:00\"}}", "calling_window.from must be before calling_window.until");
        assertInvalid("{" + base + ", \"phone\": \"+15550100\", \"time_zone\": \"UTC\", \"calling_window\":"
                + " {\"from\": \"9am\", \"until\": \"17:00\"}}", "calling_window.from must be a time such as 09:00, not '9am'");
        assertInvalid("{" + base + ", \"phone\": \"+15550100\", \"time_zone\": \"UTC\", \"variables\": {\"x\": [1]}}",
                "variables.x must be a string or a number");
        assertInvalid("{\"idempotency_key\": 7, \"account\": \"a\", \"campaign\": \"c\", \"lead_id\": \"l\","
                + " \"phone\": \"+15550100\", \"time_zone\": \"UTC\"}", "idempotency_key must be a non-empty string");
    }

    private static DialRequest read(String json) throws DialRequest.Invalid {
        return DialRequest.read(json, campaign -> new DialRequest.Window(EIGHT, NINE_PM), 42);
    }

    private static void assertInvalid(String json, String reason) {
        assertThatThrownBy(() -> read(json)).isInstanceOf(DialRequest.Invalid.class).hasMessage(reason);
    }
}
