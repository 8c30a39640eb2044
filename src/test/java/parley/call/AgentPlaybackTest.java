package parley.call;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import parley.voice.AgentAudio;

import static org.assertj.core.api.Assertions.assertThat;

class AgentPlaybackTest {

    private static final int LEAD_MS = 400;
    private static final int SPEEDUP = 2;
    private static final int MARK_EVERY_MS = 100;
    private static final Runnable NOTHING = () -> { };

    /** Plays like Twilio: one 20 ms frame per tick, echoing marks when the audio before them has played. */
    private static final class TwilioBuffer implements AgentPlayback.Sink {
        final ArrayDeque<Object> buffer = new ArrayDeque<>();
        final List<Integer> framesSentPerTick = new ArrayList<>();
        final List<String> echoed = new ArrayList<>();
        final java.io.ByteArrayOutputStream audioSent = new java.io.ByteArrayOutputStream();
        int sentThisTick;
        int clears;
        long bytesSent;
        long bytesPlayed;

        public void media(byte[] audio, int offset, int length) {
            audioSent.write(audio, offset, length);
            buffer.add(length);
            sentThisTick++;
            bytesSent += length;
        }

        public void mark(String name) {
            buffer.add(name);
        }

        public void clear() {
            clears++;
            while (!buffer.isEmpty()) {
                if (buffer.poll() instanceof String name) {
                    echoed.add(name);
                }
            }
        }

        /** Plays 20 ms and returns the marks that became due. */
        List<String> play() {
            List<String> due = new ArrayList<>();
            int budget = 160;
            while (!buffer.isEmpty()) {
                Object next = buffer.peek();
                if (next instanceof String name) {
                    buffer.poll();
                    due.add(name);
                } else if (budget > 0) {
                    int length = (Integer) buffer.poll();
                    budget -= length;
                    bytesPlayed += length;
                } else {
                    break;
                }
            }
            echoed.addAll(due);
            return due;
        }
    }

    private static AgentAudio line(String text, int ms) {
        return new AgentAudio(text, new byte[ms * 8], List.of());
    }

    @Test
    void sendsAtMostTwiceRealTimeAndNeverFurtherAheadThanTheLead() {
        TwilioBuffer twilio = new TwilioBuffer();
        AgentPlayback playback = new AgentPlayback(twilio, LEAD_MS, SPEEDUP, MARK_EVERY_MS);
        playback.enqueue(line("Hello there", 3000), NOTHING);

        List<AgentPlayback.MarkOutcome> outcomes = new ArrayList<>();
        for (int tick = 0; tick < 400 && playback.isSpeaking(); tick++) {
            twilio.sentThisTick = 0;
            playback.tick();
            twilio.framesSentPerTick.add(twilio.sentThisTick);
            assertThat(twilio.bytesSent - twilio.bytesPlayed)
                    .as("audio buffered at Twilio after tick %d", tick)
                    .isLessThanOrEqualTo((LEAD_MS + 20) * 8L);
            for (String mark : twilio.play()) {
                outcomes.add(playback.markReached(mark));
            }
        }

        assertThat(twilio.framesSentPerTick).allMatch(frames -> frames <= SPEEDUP);
        assertThat(twilio.bytesSent).isEqualTo(3000 * 8);
        assertThat(twilio.bytesPlayed).isEqualTo(3000 * 8);
        assertThat(outcomes).last().isEqualTo(AgentPlayback.MarkOutcome.UTTERANCE_PLAYED);
        assertThat(outcomes).hasSize(30).filteredOn(o -> o == AgentPlayback.MarkOutcome.PROGRESS).hasSize(29);
        assertThat(playback.lastHeard().complete()).isTrue();
        assertThat(playback.heardMs()).isEqualTo(3000);
    }

    @Test
    void aHoldLetsWhatTwilioHasPlayOutAndAReleaseGoesOnFromTheNextSample() {
        TwilioBuffer twilio = new TwilioBuffer();
        AgentPlayback playback = new AgentPlayback(twilio, LEAD_MS, SPEEDUP, MARK_EVERY_MS);
        byte[] audio = new byte[2000 * 8];
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (byte) (i % 251);
        }
        playback.enqueue(new AgentAudio("A line held halfway", audio, List.of()), NOTHING);
        int tick = 0;
        for (; tick < 50; tick++) {
            playback.tick();
            twilio.play().forEach(playback::markReached);
        }

        playback.hold();
        long sentAtHold = twilio.bytesSent;
        int silentTicks = 0;
        for (int held = 0; held < 40; held++, tick++) {
            playback.tick();
            long playedBefore = twilio.bytesPlayed;
            twilio.play().forEach(playback::markReached);
            silentTicks += twilio.bytesPlayed == playedBefore ? 1 : 0;
        }
        assertThat(twilio.bytesSent).as("nothing sent while held").isEqualTo(sentAtHold);
        assertThat(twilio.bytesPlayed).as("what Twilio had played out").isEqualTo(sentAtHold);
        assertThat(sentAtHold - 50 * 160).as("no more than the lead was still to play")
                .isLessThanOrEqualTo(LEAD_MS * 8L);
        assertThat(silentTicks).as("the caller heard the agent pause").isGreaterThan(0);
        assertThat(playback.isSpeaking()).isTrue();

        playback.release();
        for (; tick < 400 && playback.isSpeaking(); tick++) {
            playback.tick();
            twilio.play().forEach(playback::markReached);
        }
        assertThat(twilio.clears).isZero();
        assertThat(twilio.audioSent.toByteArray()).as("every sample once, in order").isEqualTo(audio);
        assertThat(playback.lastHeard().complete()).isTrue();
    }

    @Test
    void theLoudestRecentAudioIsOfWhatTheCallerMayStillBeHearingOrEchoing() {
        TwilioBuffer twilio = new TwilioBuffer();
        AgentPlayback playback = new AgentPlayback(twilio, LEAD_MS, SPEEDUP, MARK_EVERY_MS);
        byte[] loud = new byte[1000 * 8];
        java.util.Arrays.fill(loud, parley.audio.MuLaw.encode((short) 8192));
        assertThat(playback.loudestRecentDb(300)).as("nothing sent yet").isLessThan(-90f);
        playback.enqueue(new AgentAudio("Loud", loud, List.of()), NOTHING);
        byte[] quiet = new byte[2000 * 8];
        java.util.Arrays.fill(quiet, parley.audio.MuLaw.SILENCE);
        playback.enqueue(new AgentAudio("Quiet", quiet, List.of()), NOTHING);

        for (int tick = 0; tick < 25; tick++) {
            playback.tick();
            twilio.play().forEach(playback::markReached);
        }
        assertThat(playback.loudestRecentDb(300)).as("a quarter of full scale, playing").isBetween(-12.5f, -11.5f);

        for (int tick = 0; tick < 30; tick++) {
            playback.tick();
            twilio.play().forEach(playback::markReached);
        }
        assertThat(playback.loudestRecentDb(300)).as("the loud line ended 100 ms ago").isGreaterThan(-13f);
        for (int tick = 0; tick < 300 / 20 + MARK_EVERY_MS / 20; tick++) {
            playback.tick();
            twilio.play().forEach(playback::markReached);
        }
        assertThat(playback.loudestRecentDb(300)).as("the loud line played more than 300 ms ago").isLessThan(-60f);
    }

    @Test
    void aClearEndsAHold() {
        TwilioBuffer twilio = new TwilioBuffer();
        AgentPlayback playback = new AgentPlayback(twilio, LEAD_MS, SPEEDUP, MARK_EVERY_MS);
        playback.enqueue(line("Cut while held", 2000), NOTHING);
        playback.tick();
        playback.hold();
        playback.clear();

        long sentBefore = twilio.bytesSent;
        playback.enqueue(line("The next line", 500), NOTHING);
        playback.tick();
        assertThat(twilio.bytesSent).as("the next line goes out").isGreaterThan(sentBefore);
    }

    @Test
    void stopsAtTheLeadWhenNothingIsConfirmed() {
        TwilioBuffer twilio = new TwilioBuffer();
        AgentPlayback playback = new AgentPlayback(twilio, LEAD_MS, SPEEDUP, MARK_EVERY_MS);
        playback.enqueue(line("Hello there", 3000), NOTHING);

        for (int tick = 0; tick < 100; tick++) {
            playback.tick();
        }

        assertThat(twilio.bytesSent).isEqualTo(LEAD_MS * 8L);
        assertThat(playback.heardMs()).isZero();
    }

    @Test
    void clearReportsWhatWasHeardAndIgnoresTheEchoesOfDroppedMarks() {
        TwilioBuffer twilio = new TwilioBuffer();
        AgentPlayback playback = new AgentPlayback(twilio, LEAD_MS, SPEEDUP, MARK_EVERY_MS);
        playback.enqueue(line("The first line", 2000), NOTHING);
        playback.enqueue(line("The second line", 1000), NOTHING);
        for (int tick = 0; tick < 35; tick++) {
            playback.tick();
            twilio.play().forEach(playback::markReached);
        }
        long heardBefore = playback.heardMs();
        assertThat(heardBefore).isBetween(500L, 700L);

        int echoesBefore = twilio.echoed.size();
        AgentPlayback.Heard cut = playback.clear();
        List<String> droppedMarks = List.copyOf(twilio.echoed.subList(echoesBefore, twilio.echoed.size()));

        assertThat(twilio.clears).isEqualTo(1);
        assertThat(droppedMarks).as("marks pending at the clear").isNotEmpty();
        assertThat(cut.text()).isEqualTo("The first line");
        assertThat(cut.heardMs()).isEqualTo(heardBefore);
        assertThat(cut.complete()).isFalse();
        assertThat(playback.isSpeaking()).isFalse();
        for (String mark : droppedMarks) {
            assertThat(playback.markReached(mark)).isEqualTo(AgentPlayback.MarkOutcome.ECHO_OF_CLEARED);
        }
        assertThat(playback.heardMs()).isEqualTo(heardBefore);

        long sentBefore = twilio.bytesSent;
        for (int tick = 0; tick < 50; tick++) {
            playback.tick();
        }
        assertThat(twilio.bytesSent).as("nothing of the dropped lines is sent again").isEqualTo(sentBefore);
    }

    @Test
    void aMarkNeverSentIsReportedAsUnknown() {
        AgentPlayback playback = new AgentPlayback(new TwilioBuffer(), LEAD_MS, SPEEDUP, MARK_EVERY_MS);
        assertThat(playback.markReached("u9-end")).isEqualTo(AgentPlayback.MarkOutcome.UNKNOWN);
    }

    @Test
    void aMarkNeverSentLeavesThePendingMarksAsTheyWere() {
        TwilioBuffer twilio = new TwilioBuffer();
        AgentPlayback playback = new AgentPlayback(twilio, LEAD_MS, SPEEDUP, MARK_EVERY_MS);
        playback.enqueue(line("Hello there", 1000), NOTHING);
        for (int tick = 0; tick < 10; tick++) {
            playback.tick();
        }
        List<String> due = twilio.play();
        for (int tick = 0; tick < 10 && due.isEmpty(); tick++) {
            due = twilio.play();
        }
        assertThat(due).as("a mark Twilio has played").isNotEmpty();

        assertThat(playback.markReached("u1-999999")).isEqualTo(AgentPlayback.MarkOutcome.UNKNOWN);
        assertThat(playback.heardMs()).as("nothing counted as heard").isZero();
        assertThat(playback.markReached(due.get(0))).isEqualTo(AgentPlayback.MarkOutcome.PROGRESS);
        assertThat(playback.heardMs()).isEqualTo(MARK_EVERY_MS);
    }

    @Test
    void clearWhileSilentCutsNothing() {
        TwilioBuffer twilio = new TwilioBuffer();
        AgentPlayback playback = new AgentPlayback(twilio, LEAD_MS, SPEEDUP, MARK_EVERY_MS);
        assertThat(playback.clear()).isNull();
        assertThat(twilio.clears).isEqualTo(1);
    }

    @Test
    void aLineQueuedOnASilentCallStartsAtOnceWithoutWaitingForTheClock() {
        TwilioBuffer twilio = new TwilioBuffer();
        AgentPlayback playback = new AgentPlayback(twilio, LEAD_MS, SPEEDUP, MARK_EVERY_MS);
        AtomicInteger firstAudio = new AtomicInteger();

        playback.enqueue(line("Hello there", 1000), firstAudio::incrementAndGet);

        assertThat(twilio.bytesSent).as("sent before any tick").isEqualTo(SPEEDUP * 160L);
        assertThat(firstAudio).hasValue(1);
        twilio.sentThisTick = 0;
        playback.tick();
        assertThat(twilio.sentThisTick).isEqualTo(SPEEDUP);
        assertThat(firstAudio).hasValue(1);
    }

    @Test
    void audioForALineTheClockWaitedOnGoesOutAtOnceWithinTheTicksAllowance() {
        TwilioBuffer twilio = new TwilioBuffer();
        AgentPlayback playback = new AgentPlayback(twilio, LEAD_MS, SPEEDUP, MARK_EVERY_MS);
        AtomicInteger firstAudio = new AtomicInteger();
        AgentPlayback.Utterance streaming = playback.speak("", firstAudio::incrementAndGet);
        playback.tick();
        assertThat(twilio.bytesSent).isZero();

        streaming.append(new byte[100]);
        assertThat(twilio.bytesSent).as("less than a frame waits for more").isZero();
        streaming.append(new byte[60]);
        assertThat(twilio.bytesSent).isEqualTo(160);
        assertThat(firstAudio).hasValue(1);
        streaming.append(new byte[800]);
        assertThat(twilio.bytesSent).as("the tick's allowance of %d frames", SPEEDUP).isEqualTo(SPEEDUP * 160L);

        playback.tick();
        assertThat(twilio.bytesSent).isEqualTo(2L * SPEEDUP * 160);
        assertThat(firstAudio).hasValue(1);
    }

    @Test
    void aClosedPlaybackSendsNothingMore() {
        TwilioBuffer twilio = new TwilioBuffer();
        AgentPlayback playback = new AgentPlayback(twilio, LEAD_MS, SPEEDUP, MARK_EVERY_MS);
        AgentPlayback.Utterance streaming = playback.speak("", NOTHING);
        streaming.append(new byte[160]);
        long sent = twilio.bytesSent;

        playback.close();
        streaming.append(new byte[1600]);
        playback.enqueue(line("Goodbye", 500), NOTHING);
        for (int tick = 0; tick < 10; tick++) {
            playback.tick();
        }

        assertThat(sent).isEqualTo(160);
        assertThat(twilio.bytesSent).isEqualTo(sent);
        assertThat(twilio.clears).isZero();
    }
}
