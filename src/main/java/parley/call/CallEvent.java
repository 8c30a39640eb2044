package parley.call;

import java.util.Locale;

/**
 * Something that happened on a call besides what was said, kept in its record.
 *
 * @param atMs   when, in milliseconds on the call's timeline (from the media stream's start)
 * @param detail what it was, in words: the key, the provider and its problem, the frame's fault
 */
public record CallEvent(Kind kind, long atMs, String detail) {

    public enum Kind {
        /** The caller talked over the agent and took the turn: the agent was cut. */
        BARGE_IN,
        /** Speech over the agent that was not an interruption (a backchannel, a noise): the agent went on. */
        FALSE_INTERRUPTION,
        /** The caller went on right after their turn ended: its answer was withdrawn. */
        ANSWER_WITHDRAWN,
        KEY_PRESSED,
        /** A voice failed mid-line and the next in the chain took over. */
        VOICE_FALLBACK,
        /** The model's answer was not used (failed, too slow, off the schema): the script answered. */
        MODEL_FALLBACK,
        /** A speech recognizer or other provider failed on this call. */
        PROVIDER_ERROR,
        /** A frame from Twilio broke the media-stream protocol and was dropped. */
        FRAME_REJECTED,
        /** The caller said nothing for the script's silence: the agent checked in, or ended the call. */
        CALLER_SILENT;

        /** The name records and the API use: {@code barge-in}, {@code key-pressed}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }
}
