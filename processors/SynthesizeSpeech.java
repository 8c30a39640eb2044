package parley.processors;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.audio.OfflineVoice;
import parley.conversation.AgentLine;
import parley.voice.AgentAudio;

/**
 * Renders an agent line with the offline voice into mu-law 8 kHz, ready for Twilio.
 *
 * <p>Scripted lines repeat on every call, so their audio is kept: a greeting then starts playing as soon as
 * the call does. The cache is bounded because lines written by a model never repeat.
 */
@Component
public class SynthesizeSpeech implements Processor {

    private static final int CACHED_LINES = 256;

    private final OfflineVoice voice;
    private final Map<String, byte[]> rendered = new ConcurrentHashMap<>();

    public SynthesizeSpeech(OfflineVoice voice) {
        this.voice = voice;
    }

    @Override
    public void process(Exchange exchange) {
        String text = exchange.getMessage().getBody(AgentLine.class).text();
        exchange.getMessage().setBody(new AgentAudio(text, render(text)));
    }

    /** Renders a line now (at start-up for the script's lines), so a call never waits for it. */
    public byte[] render(String text) {
        byte[] audio = rendered.get(text);
        if (audio == null) {
            audio = voice.speakMuLaw(text);
            if (rendered.size() >= CACHED_LINES) {
                rendered.clear();
            }
            rendered.put(text, audio);
        }
        return audio;
    }
}
