package parley.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavFilesTest {

    private static final int PCM = 1;
    private static final int MULAW = 7;

    @TempDir
    Path dir;

    @Test
    void monoRoundTripIsLossless() throws IOException {
        short[] pcm = {0, 1, -1, 12345, -12345, Short.MAX_VALUE, Short.MIN_VALUE, 42};
        Path file = dir.resolve("mono.wav");

        WavFiles.writeMono8k(file, pcm);

        assertThat(WavFiles.readPcm8k(file)).isEqualTo(pcm);
        ByteBuffer header = header(file);
        assertThat(Files.size(file)).isEqualTo(44 + 2L * pcm.length);
        assertThat(header.getInt(4)).isEqualTo(36 + 2 * pcm.length);
        assertThat(header.getShort(22)).isEqualTo((short) 1);
        assertThat(header.getInt(24)).isEqualTo(8000);
        assertThat(header.getInt(28)).isEqualTo(16000);
        assertThat(header.getShort(32)).isEqualTo((short) 2);
        assertThat(header.getShort(34)).isEqualTo((short) 16);
        assertThat(header.getInt(40)).isEqualTo(2 * pcm.length);
    }

    @Test
    void stereoPadsTheShorterChannelWithSilenceAndReadsBackMixed() throws IOException {
        short[] left = new short[100];
        short[] right = new short[60];
        for (int i = 0; i < left.length; i++) {
            left[i] = (short) (i * 300 - 15000);
        }
        for (int i = 0; i < right.length; i++) {
            right[i] = (short) (20000 - i * 500);
        }
        Path file = dir.resolve("call.wav");

        WavFiles.writeStereo8k(file, left, right);

        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(bytes.getShort(22)).isEqualTo((short) 2);
        assertThat(bytes.getInt(28)).isEqualTo(32000);
        assertThat(bytes.getShort(32)).isEqualTo((short) 4);
        assertThat(bytes.getInt(40)).isEqualTo(400);
        for (int frame = 0; frame < left.length; frame++) {
            assertThat(bytes.getShort(44 + 4 * frame)).isEqualTo(left[frame]);
            assertThat(bytes.getShort(46 + 4 * frame)).isEqualTo(frame < right.length ? right[frame] : 0);
        }
        short[] mixed = WavFiles.readPcm8k(file);
        assertThat(mixed).hasSize(100);
        assertThat(mixed[10]).isEqualTo((short) ((left[10] + right[10]) / 2));
        assertThat(mixed[80]).isEqualTo((short) (left[80] / 2));
    }

    @Test
    void writtenFilesAreReadableByJavaSound() throws IOException, UnsupportedAudioFileException {
        Path file = dir.resolve("call.wav");
        WavFiles.writeStereo8k(file, new short[250], new short[300]);

        AudioFileFormat read = AudioSystem.getAudioFileFormat(file.toFile());

        assertThat(read.getType()).isEqualTo(AudioFileFormat.Type.WAVE);
        assertThat(read.getFrameLength()).isEqualTo(300);
        AudioFormat format = read.getFormat();
        assertThat(format.getEncoding()).isEqualTo(AudioFormat.Encoding.PCM_SIGNED);
        assertThat(format.getSampleRate()).isEqualTo(8000f);
        assertThat(format.getChannels()).isEqualTo(2);
        assertThat(format.getSampleSizeInBits()).isEqualTo(16);
        assertThat(format.isBigEndian()).isFalse();
    }

    @Test
    void emptyAudioMakesAValidEmptyFile() throws IOException {
        Path file = dir.resolve("empty.wav");
        WavFiles.writeMono8k(file, new short[0]);

        assertThat(Files.size(file)).isEqualTo(44);
        assertThat(WavFiles.readPcm8k(file)).isEmpty();
    }

    @Test
    void resamples16kFilesTo8k() throws IOException {
        short[] pcm = new short[1600];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) Math.round(10000 * Math.sin(2 * Math.PI * 1000 * i / 16000.0)
                    + 5000 * Math.sin(2 * Math.PI * 5000 * i / 16000.0));
        }
        Path file = write("wide.wav", wav(PCM, 1, 16000, 16, le16(pcm)));

        short[] read = WavFiles.readPcm8k(file);

        assertThat(read).hasSize(800).isEqualTo(Resampler.downsample16kTo8k(pcm));
    }

    @Test
    void mixesStereoBeforeResampling() throws IOException {
        short[] interleaved = new short[2 * 4800];
        short[] mix = new short[4800];
        for (int i = 0; i < mix.length; i++) {
            interleaved[2 * i] = (short) (i % 200 * 100);
            interleaved[2 * i + 1] = (short) -(i % 50 * 300);
            mix[i] = (short) ((interleaved[2 * i] + interleaved[2 * i + 1]) / 2);
        }
        Path file = write("stereo48k.wav", wav(PCM, 2, 48000, 16, le16(interleaved)));

        assertThat(WavFiles.readPcm8k(file)).hasSize(800).isEqualTo(Resampler.to8k(mix, 48000));
    }

    @Test
    void reads8BitUnsignedPcm() throws IOException {
        byte[] data = {(byte) 128, (byte) 255, 0, (byte) 192};
        Path file = write("eight.wav", wav(PCM, 1, 8000, 8, data));

        assertThat(WavFiles.readPcm8k(file)).containsExactly((short) 0, (short) 32512, (short) -32768, (short) 16384);
    }

    @Test
    void readsMuLaw() throws IOException {
        byte[] codes = {(byte) 0xFF, 0x00, (byte) 0x80, 0x7F, (byte) 0xA5, 0x25};
        Path file = write("ulaw.wav", wav(MULAW, 1, 8000, 8, codes));

        assertThat(WavFiles.readPcm8k(file)).isEqualTo(MuLaw.decode(codes));
    }

    @Test
    void readsWaveFormatExtensible() throws IOException {
        short[] pcm = {1, 2, 3, -4};
        Path file = write("extensible.wav", riff(chunk("fmt ", extensibleFmt(1, 8000, 16, PCM)), chunk("data", le16(pcm))));

        assertThat(WavFiles.readPcm8k(file)).isEqualTo(pcm);
    }

    @Test
    void skipsUnknownChunksIncludingOddSizedOnes() throws IOException {
        short[] pcm = {7, -7, 700};
        Path file = write("chunks.wav", riff(
                chunk("LIST", "odd".getBytes(StandardCharsets.US_ASCII)),
                chunk("fmt ", fmt(PCM, 1, 8000, 16)),
                chunk("fact", new byte[] {3, 0, 0, 0}),
                chunk("data", le16(pcm))));

        assertThat(WavFiles.readPcm8k(file)).isEqualTo(pcm);
    }

    @Test
    void readsATruncatedDataChunkAsFarAsTheFileGoes() throws IOException {
        byte[] whole = wav(PCM, 1, 8000, 16, le16(new short[] {100, 200, 300}));
        byte[] truncated = Arrays.copyOf(whole, whole.length - 1);

        assertThat(WavFiles.readPcm8k(write("cut.wav", truncated))).containsExactly((short) 100, (short) 200);
    }

    @Test
    void rejectsAFileThatIsNotAWav() throws IOException {
        Path file = write("notes.txt", "Dear customer, ...".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> WavFiles.readPcm8k(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not a WAV file");
        Path empty = write("empty.wav", new byte[0]);
        assertThatThrownBy(() -> WavFiles.readPcm8k(empty))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a WAV file");
    }

    @Test
    void namesTheUnsupportedProperty() throws IOException {
        assertRejected(wav(PCM, 1, 8000, 24, new byte[6]), "24-bit PCM");
        assertRejected(wav(3, 1, 8000, 32, new byte[8]), "format tag 0x3");
        assertRejected(wav(PCM, 1, 11025, 16, new byte[4]), "11025 Hz");
        assertRejected(wav(PCM, 1, 44100, 16, new byte[4]), "44100 Hz");
        assertRejected(wav(PCM, 3, 8000, 16, new byte[12]), "3 channels");
        assertRejected(wav(MULAW, 1, 8000, 16, new byte[4]), "16-bit mu-law");
        assertRejected(riff(chunk("fmt ", fmt(PCM, 1, 8000, 16))), "no data chunk");
        assertRejected(riff(chunk("LIST", new byte[4])), "no fmt chunk");
        assertRejected(riff(chunk("data", new byte[4]), chunk("fmt ", fmt(PCM, 1, 8000, 16))), "before any fmt chunk");
        assertRejected(riff(chunk("fmt ", new byte[10]), chunk("data", new byte[4])), "fmt chunk is truncated");
        byte[] foreignGuid = extensibleFmt(1, 8000, 16, PCM);
        foreignGuid[39] ^= 1;
        assertRejected(riff(chunk("fmt ", foreignGuid), chunk("data", new byte[4])), "sub-format");
        byte[] badAlign = fmt(PCM, 2, 8000, 16);
        badAlign[12] = 2;
        assertRejected(riff(chunk("fmt ", badAlign), chunk("data", new byte[4])), "block alignment 2");
    }

    @Test
    void aMissingFileIsAnIoError() {
        assertThatThrownBy(() -> WavFiles.readPcm8k(dir.resolve("absent.wav"))).isInstanceOf(NoSuchFileException.class);
    }

    private void assertRejected(byte[] content, String problem) throws IOException {
        Path file = write("bad.wav", content);
        assertThatThrownBy(() -> WavFiles.readPcm8k(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file + ": ")
                .hasMessageContaining(problem);
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private static ByteBuffer header(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        assertThat(new String(bytes, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        assertThat(new String(bytes, 8, 8, StandardCharsets.US_ASCII)).isEqualTo("WAVEfmt ");
        assertThat(new String(bytes, 36, 4, StandardCharsets.US_ASCII)).isEqualTo("data");
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] wav(int tag, int channels, int rate, int bits, byte[] data) {
        return riff(chunk("fmt ", fmt(tag, channels, rate, bits)), chunk("data", data));
    }

    private static byte[] fmt(int tag, int channels, int rate, int bits) {
        int blockAlign = channels * bits / 8;
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) tag).putShort((short) channels).putInt(rate).putInt(rate * blockAlign)
                .putShort((short) blockAlign).putShort((short) bits).array();
    }

    private static byte[] extensibleFmt(int channels, int rate, int bits, int subFormat) {
        ByteBuffer buf = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(fmt(0xFFFE, channels, rate, bits));
        buf.putShort((short) 22).putShort((short) bits).putInt(channels == 1 ? 0x4 : 0x3);
        buf.putShort((short) subFormat)
                .put(new byte[] {0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38, (byte) 0x9B, 0x71});
        return buf.array();
    }

    private static byte[] chunk(String id, byte[] body) {
        ByteBuffer buf = ByteBuffer.allocate(8 + body.length + (body.length & 1)).order(ByteOrder.LITTLE_ENDIAN);
        return buf.put(id.getBytes(StandardCharsets.US_ASCII)).putInt(body.length).put(body).array();
    }

    private static byte[] riff(byte[]... chunks) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("WAVE".getBytes(StandardCharsets.US_ASCII));
        for (byte[] chunk : chunks) {
            body.writeBytes(chunk);
        }
        return chunk("RIFF", body.toByteArray());
    }

    private static byte[] le16(short[] samples) {
        ByteBuffer buf = ByteBuffer.allocate(2 * samples.length).order(ByteOrder.LITTLE_ENDIAN);
        for (short sample : samples) {
            buf.putShort(sample);
        }
        return buf.array();
    }
}
