package parley.processors;

import java.io.IOException;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import parley.call.CallRecording;
import parley.call.EndedCall;
import parley.records.RecordingFolder;

/**
 * An ended call that was recorded has its stereo WAV written to the recording folder, and the record names
 * it. A recording that cannot be written is logged and left out: the record is kept without it.
 */
@Component
public class WriteRecording implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(WriteRecording.class);

    private final RecordingFolder recordings;

    public WriteRecording(RecordingFolder recordings) {
        this.recordings = recordings;
    }

    @Override
    public void process(Exchange exchange) {
        EndedCall ended = exchange.getProperty(ShapeCallRecord.ENDED_CALL, EndedCall.class);
        CallRecording recording = ended.circumstances().log().recording();
        if (recording == null) {
            return;
        }
        try {
            exchange.setProperty(ShapeCallRecord.RECORDING,
                    recordings.write(ended.callSid(), ended.circumstances().log().openedAt(), recording));
        } catch (IOException | RuntimeException e) {
            LOG.error("Call {}: its recording could not be written ({}); the record is kept without it",
                    ended.callSid(), e.toString());
        }
    }
}
