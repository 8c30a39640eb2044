package parley.outbound;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Places a claimed attempt's call. Whoever places it, the call then reaches Parley as Twilio's calls do: the
 * lead's answer asks {@link Webhooks#voice} what to do, each step of the call is posted to
 * {@link Webhooks#status}, and answering-machine detection reports to {@link Webhooks#machineDetection}.
 */
public interface Dialer {

    /** What became of a dial. */
    sealed interface Result {
        /** The call is being placed. */
        record Placed(String callSid) implements Result {
        }

        /** The call cannot be placed: the attempt ends with this outcome. */
        record Refused(String outcome, String detail) implements Result {
        }

        /** Not now (asked to slow down, or out of reach): the attempt is tried again later. */
        record Later(Duration after, String why) implements Result {
        }
    }

    Result place(DialQueue.Claimed dial);

    /**
     * The sid of a call this dialer placed to {@code phone} at or after {@code since}, if there is one: for an
     * attempt whose claimer stopped after asking for the call and before it stored the sid.
     */
    Optional<String> placedSince(String phone, Instant since);

    /** Twilio's status that call {@code callSid} ended with (completed, busy, no-answer, ...), if it has ended. */
    Optional<String> endedWith(String callSid);

    /** The statuses a call ends with. */
    Set<String> ENDED = Set.of("completed", "busy", "failed", "no-answer", "canceled");

    /** The webhooks of one attempt's call, on Parley's public URL. */
    record Webhooks(URI voice, URI status, URI machineDetection) {
        public static Webhooks of(URI publicUrl, long attemptId) {
            String base = publicUrl.toString().replaceAll("/+$", "");
            return new Webhooks(URI.create(base + "/twilio/voice?attempt=" + attemptId),
                    URI.create(base + "/twilio/status"), URI.create(base + "/twilio/amd"));
        }
    }
}
