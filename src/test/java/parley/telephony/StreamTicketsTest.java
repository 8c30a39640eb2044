package parley.telephony;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import parley.config.ParleyProperties;

import static org.assertj.core.api.Assertions.assertThat;

class StreamTicketsTest {

    private static final URI API = URI.create("https://api.twilio.com");

    /** A clock the test moves by hand. */
    private static final class HandClock extends Clock {
        Instant now = Instant.parse("2026-11-25T15:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final HandClock clock = new HandClock();
    private final StreamTickets tickets = new StreamTickets(new ParleyProperties.Twilio("token-1", "", API), clock);

    @Test
    void aTicketOpensItsOwnCallsStreamOnce() {
        String ticket = tickets.issue("CA1");
        assertThat(tickets.redeem("CA1", ticket)).isNull();
        assertThat(tickets.redeem("CA1", ticket)).contains("already used");
    }

    @Test
    void anotherCallsForgedStaleOrMissingTicketIsRefused() {
        assertThat(tickets.redeem("CA2", tickets.issue("CA1"))).contains("not for this call");
        assertThat(tickets.redeem("CA1", null)).contains("did not answer");
        assertThat(tickets.redeem("CA1", "garbage")).contains("malformed");
        StreamTickets otherAccount = new StreamTickets(new ParleyProperties.Twilio("token-2", "", API), clock);
        assertThat(tickets.redeem("CA1", otherAccount.issue("CA1"))).contains("not for this call");

        String ticket = tickets.issue("CA3");
        clock.now = clock.now.plus(StreamTickets.VALID_FOR).plus(Duration.ofSeconds(1));
        assertThat(tickets.redeem("CA3", ticket)).contains("older than");
    }

    @Test
    void withoutAnAuthTokenNothingIsRequired() {
        StreamTickets open = new StreamTickets(new ParleyProperties.Twilio("", "", API), clock);
        assertThat(open.required()).isFalse();
        assertThat(open.redeem("CA1", null)).isNull();
    }
}
