package parley.simulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import parley.audio.MuLaw;

/**
 * The agent's side of Twilio's outbound buffer: audio queued in arrival order with marks at their positions,
 * played out a frame at a time.
 */
final class Playout {

    /** One queued item: either audio (with how much of it was already played) or a mark. */
    private static final class Item {
        final byte[] audio;
        final String mark;
        int played;

        Item(byte[] audio, String mark) {
            this.audio = audio;
            this.mark = mark;
        }
    }

    private final Deque<Item> queue = new ArrayDeque<>();
    private int bufferedBytes;

    void append(byte[] muLaw) {
        if (muLaw.length > 0) {
            queue.addLast(new Item(muLaw, null));
            bufferedBytes += muLaw.length;
        }
    }

    void mark(String name) {
        queue.addLast(new Item(null, name));
    }

    boolean hasAudio() {
        return bufferedBytes > 0;
    }

    int bufferedBytes() {
        return bufferedBytes;
    }

    /** Removes the marks that have no audio left in front of them, in order. */
    List<String> takeReachedMarks() {
        List<String> reached = new ArrayList<>();
        while (!queue.isEmpty() && queue.peekFirst().mark != null) {
            reached.add(queue.removeFirst().mark);
        }
        return reached;
    }

    /** Drops everything and returns the marks that were still waiting, in order. */
    List<String> clear() {
        List<String> pending = new ArrayList<>();
        for (Item item : queue) {
            if (item.mark != null) {
                pending.add(item.mark);
            }
        }
        queue.clear();
        bufferedBytes = 0;
        return pending;
    }

    /**
     * Plays up to {@code frame.length} bytes into {@code frame}, filling the rest with mu-law silence.
     * Marks passed on the way, or reached exactly at the end, are added to {@code reached}.
     *
     * @return how many bytes of agent audio were played
     */
    int play(byte[] frame, List<String> reached) {
        int filled = 0;
        while (filled < frame.length && !queue.isEmpty()) {
            Item head = queue.peekFirst();
            if (head.mark != null) {
                reached.add(queue.removeFirst().mark);
                continue;
            }
            int n = Math.min(frame.length - filled, head.audio.length - head.played);
            System.arraycopy(head.audio, head.played, frame, filled, n);
            head.played += n;
            filled += n;
            if (head.played == head.audio.length) {
                queue.removeFirst();
            }
        }
        bufferedBytes -= filled;
        reached.addAll(takeReachedMarks());
        Arrays.fill(frame, filled, frame.length, MuLaw.SILENCE);
        return filled;
    }
}
