package parley.records;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;

import org.springframework.stereotype.Component;
import parley.audio.WavFiles;
import parley.call.CallRecording;
import parley.config.ParleyProperties;

/**
 * Where call recordings are kept ({@code parley.records.recording-folder}): one stereo WAV per call, caller
 * left and agent right, in a folder per day. Off when the setting is empty: no call is recorded then.
 */
@Component
public class RecordingFolder {

    private final Path folder;

    public RecordingFolder(ParleyProperties properties) throws IOException {
        String setting = properties.records().recordingFolder();
        this.folder = setting.isBlank() ? null : Path.of(setting).toAbsolutePath().normalize();
        if (folder != null) {
            Files.createDirectories(folder);
        }
    }

    /** Writes a call's recording; returns where it is, relative to the folder, as the call's record keeps it. */
    public String write(String callSid, Instant startedAt, CallRecording recording) throws IOException {
        if (folder == null) {
            throw new IllegalStateException("calls are not recorded: parley.records.recording-folder is empty");
        }
        // A CallSid comes from the other side of a socket: only its letters and digits become a file name.
        String relative = startedAt.atOffset(ZoneOffset.UTC).toLocalDate() + "/"
                + callSid.replaceAll("[^A-Za-z0-9_-]", "_") + ".wav";
        Path file = folder.resolve(relative);
        Files.createDirectories(file.getParent());
        WavFiles.writeStereo8k(file, recording.callerSide(), recording.agentSide());
        return relative;
    }

    /** The file a record names, or null when it is not inside the folder or no longer there. */
    public Path find(String relative) {
        if (folder == null || relative == null) {
            return null;
        }
        Path file = folder.resolve(relative).normalize();
        return file.startsWith(folder) && Files.isRegularFile(file) ? file : null;
    }
}
