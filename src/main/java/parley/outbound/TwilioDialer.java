package parley.outbound;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.twilio.exception.ApiException;
import com.twilio.http.HttpMethod;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.type.PhoneNumber;
import parley.config.ParleyProperties;

/**
 * Places a claimed attempt through Twilio's Calls API (twilio-java's {@code Calls.create}): Twilio calls the
 * lead and, once they answer, asks Parley's voice URL what to do, as for a call coming in. Its status
 * callback reports each step of the call; answering-machine detection runs alongside and reports once the
 * greeting of a machine has ended (its beep), so that a voicemail line is left after it.
 */
public class TwilioDialer implements Dialer {

    /** Twilio's codes for a number that cannot be called as given. */
    private static final Set<Integer> BAD_NUMBER = Set.of(21211, 21214, 21215, 21216, 21217, 21219, 21401);
    private static final List<String> STATUS_EVENTS = List.of("initiated", "ringing", "answered", "completed");
    static final Duration SLOWED_DOWN = Duration.ofSeconds(30);
    static final Duration UNREACHABLE = Duration.ofSeconds(60);

    private final TwilioRestClient twilio;
    private final String callerId;
    private final URI publicUrl;

    public TwilioDialer(ParleyProperties properties) {
        ParleyProperties.Twilio settings = properties.twilio();
        this.twilio = new TwilioRestClient.Builder(settings.accountSid(), settings.authToken())
                .httpClient(new TwilioApiClient(settings.apiUrl())).build();
        this.callerId = properties.outbound().callerId();
        this.publicUrl = properties.publicUrl();
    }

    /** Twilio lists an account's calls to a number newest first: one page reaches back far enough. */
    @Override
    public Optional<String> placedSince(String phone, Instant since) {
        for (Call call : Call.reader().setTo(new PhoneNumber(phone)).setPageSize(20L).firstPage(twilio).getRecords()) {
            if (call.getDateCreated() != null && !call.getDateCreated().toInstant().isBefore(since)) {
                return Optional.of(call.getSid());
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> endedWith(String callSid) {
        Call.Status status = Call.fetcher(callSid).fetch(twilio).getStatus();
        return status != null && ENDED.contains(status.toString()) ? Optional.of(status.toString()) : Optional.empty();
    }

    @Override
    public Result place(DialQueue.Claimed dial) {
        if (callerId.isBlank()) {
            return new Result.Later(UNREACHABLE, "cannot dial: parley.outbound.caller-id is needed");
        }
        Webhooks webhooks = Webhooks.of(publicUrl, dial.attemptId());
        try {
            Call call = Call.creator(new PhoneNumber(dial.phone()), new PhoneNumber(callerId), webhooks.voice())
                    .setStatusCallback(webhooks.status())
                    .setStatusCallbackMethod(HttpMethod.POST)
                    .setStatusCallbackEvent(STATUS_EVENTS)
                    .setMachineDetection("DetectMessageEnd")
                    .setAsyncAmd("true")
                    .setAsyncAmdStatusCallback(webhooks.machineDetection())
                    .setAsyncAmdStatusCallbackMethod(HttpMethod.POST)
                    .create(twilio);
            return new Result.Placed(call.getSid());
        } catch (ApiException refused) {
            Integer status = refused.getStatusCode();
            if (status != null && status == 429) {
                return new Result.Later(SLOWED_DOWN, "Twilio asked to slow down (429)");
            }
            if (refused.getCode() != null && BAD_NUMBER.contains(refused.getCode())) {
                return new Result.Refused("invalid_number", refused.getCode() + ": " + refused.getMessage());
            }
            if (status != null && status >= 400 && status < 500) {
                return new Result.Refused("dial_refused", status + " " + refused.getMessage());
            }
            return new Result.Later(UNREACHABLE, "Twilio failed: " + refused.getMessage());
        }
    }
}
