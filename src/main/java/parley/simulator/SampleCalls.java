package parley.simulator;

import java.time.Duration;

/** Whole calls the demo places and tests replay: a caller as a sales team would hope to meet one. */
public final class SampleCalls {

    private SampleCalls() {
    }

    /** {@link #booking} on a call to {@code mediaUrl}, from a caller's number to Parley's. */
    public static SimulatedCall.Builder booked(String mediaUrl) {
        return booking(SimulatedCall.to(mediaUrl)
                .parameter("From", "+15550100001")
                .parameter("To", "+15550100002"));
    }

    /**
     * From the greeting to a booked meeting, as the sample script runs: the caller cuts into the greeting with
     * a question (a barge-in), says "Yeah." over the agent's offer without taking the turn (a backchannel),
     * gives an email address and a time, and the agent books the meeting and ends the call.
     */
    public static SimulatedCall.Builder booking(SimulatedCall.Builder call) {
        return call
                .line(CallerLine.say("Sorry, what is this call about?").intoAgent(1_500))
                .say("We do maybe forty deliveries a week, planned in a spreadsheet.")
                .line(CallerLine.say("Yeah.").intoAgent(1_200))
                .say("Yeah, that could be useful.")
                .say("It's jane dot doe at example dot com.")
                .say("Next Tuesday at 10 am works for me.")
                .idleHangup(Duration.ofSeconds(5))
                .maxDuration(Duration.ofSeconds(90));
    }
}
