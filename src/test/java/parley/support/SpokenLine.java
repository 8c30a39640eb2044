package parley.support;

import java.io.ByteArrayOutputStream;

import parley.audio.OfflineVoice;
import parley.tts.Phrases;

/** What the offline voice sends for a line: its phrases voiced one after another, as Parley speaks them. */
public final class SpokenLine {

    private SpokenLine() {
    }

    public static byte[] mulaw(OfflineVoice voice, String line) {
        ByteArrayOutputStream audio = new ByteArrayOutputStream();
        for (String phrase : Phrases.split(line)) {
            audio.writeBytes(voice.speakMuLaw(phrase));
        }
        return audio.toByteArray();
    }
}
