package parley.processors;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.records.RecordingFolder;

/**
 * Answers a request for a call's recording (the body: where its record says it is) with the WAV, or the part
 * of it a {@code Range: bytes=...} header asks for, so that a player can seek without fetching it all.
 * A request for several ranges gets the whole file, which HTTP allows.
 */
@Component
public class ServeRecording implements Processor {

    private static final Pattern ONE_RANGE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");

    private final RecordingFolder recordings;

    public ServeRecording(RecordingFolder recordings) {
        this.recordings = recordings;
    }

    @Override
    public void process(Exchange exchange) throws IOException {
        Message message = exchange.getMessage();
        String range = message.getHeader("Range", String.class);
        Path file = recordings.find(message.getBody(String.class));
        message.getHeaders().clear();
        if (file == null) {
            WriteJson.error(message, 404, "this call has no recording");
            return;
        }
        try (RandomAccessFile wav = new RandomAccessFile(file.toFile(), "r")) {
            long size = wav.length();
            long first = 0;
            long last = size - 1;
            Matcher asked = range == null ? null : ONE_RANGE.matcher(range.strip());
            boolean partial = asked != null && asked.matches() && !(asked.group(1).isEmpty() && asked.group(2).isEmpty());
            if (partial) {
                if (asked.group(1).isEmpty()) {
                    first = Math.max(0, size - Long.parseLong(asked.group(2)));
                } else {
                    first = Long.parseLong(asked.group(1));
                    last = asked.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(asked.group(2)));
                }
                if (first >= size || first > last) {
                    message.setHeader(Exchange.HTTP_RESPONSE_CODE, 416);
                    message.setHeader("Content-Range", "bytes */" + size);
                    message.setBody("");
                    return;
                }
                message.setHeader(Exchange.HTTP_RESPONSE_CODE, 206);
                message.setHeader("Content-Range", "bytes " + first + "-" + last + "/" + size);
            }
            byte[] bytes = new byte[(int) (last - first + 1)];
            wav.seek(first);
            wav.readFully(bytes);
            message.setHeader("Accept-Ranges", "bytes");
            message.setHeader(Exchange.CONTENT_TYPE, "audio/wav");
            message.setBody(bytes);
        }
    }
}
