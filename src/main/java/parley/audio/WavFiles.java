package parley.audio;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads prompts and writes call recordings as RIFF/WAVE files.
 *
 * <p>The RIFF parsing is done here rather than through {@code javax.sound.sampled} so that a bad file
 * yields a message saying what exactly is wrong with it, instead of a generic "unsupported format".
 * Reading is lenient where real files often are sloppy: unknown chunks are skipped, and a data chunk
 * whose declared size runs past the end of the file (a recording cut short, or a streaming writer that
 * never patched the size) is read as far as the file goes.
 */
public final class WavFiles {

    private static final int FORMAT_PCM = 1;
    private static final int FORMAT_MULAW = 7;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;

    /** Bytes 2..15 of every WAVE_FORMAT_EXTENSIBLE sub-format GUID whose first two bytes are a format tag. */
    private static final byte[] KSDATAFORMAT_SUFFIX = {
        0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71
    };

    private static final int OUTPUT_RATE = 8000;
    private static final int HEADER_BYTES = 44;
    /** The RIFF size field is 32 bits and counts everything after itself, header included. */
    private static final long MAX_DATA_BYTES = 0xFFFF_FFFFL - (HEADER_BYTES - 8);

    private WavFiles() {
    }

    /**
     * Reads a mono or stereo WAV (16-bit PCM, 8-bit PCM, or mu-law) at any rate that is a multiple of
     * 8 kHz; returns 8 kHz mono PCM (stereo is mixed down). Clear IllegalArgumentException naming the
     * file and the problem for anything else.
     */
    public static short[] readPcm8k(Path wav) throws IOException {
        byte[] bytes = Files.readAllBytes(wav);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 12 || !tagAt(bytes, 0).equals("RIFF") || !tagAt(bytes, 8).equals("WAVE")) {
            throw invalid(wav, "not a WAV file (it does not start with a RIFF/WAVE header)");
        }
        Format format = null;
        long pos = 12;
        while (pos + 8 <= bytes.length) {
            int body = (int) pos + 8;
            String id = tagAt(bytes, (int) pos);
            long size = Integer.toUnsignedLong(buf.getInt((int) pos + 4));
            if (id.equals("fmt ")) {
                format = parseFormat(wav, buf, body, Math.min(size, bytes.length - body));
            } else if (id.equals("data")) {
                if (format == null) {
                    throw invalid(wav, "the data chunk comes before any fmt chunk");
                }
                int length = (int) Math.min(size, bytes.length - body);
                return Resampler.to8k(toMono(buf, body, length, format), format.sampleRate);
            }
            // Chunks are word-aligned: an odd-sized chunk is followed by one pad byte.
            pos = body + size + (size & 1);
        }
        throw invalid(wav, format == null ? "no fmt chunk" : "no data chunk");
    }

    /** Writes a 2-channel 16-bit little-endian 8 kHz WAV; the shorter channel is padded with silence. */
    public static void writeStereo8k(Path wav, short[] left, short[] right) throws IOException {
        write(wav, Objects.requireNonNull(left, "left"), Objects.requireNonNull(right, "right"));
    }

    /** Writes mono 16-bit 8 kHz WAV. */
    public static void writeMono8k(Path wav, short[] pcm) throws IOException {
        write(wav, Objects.requireNonNull(pcm, "pcm"));
    }

    private record Format(int tag, int channels, int sampleRate, int bitsPerSample, int blockAlign) {
    }

    private static Format parseFormat(Path wav, ByteBuffer buf, int body, long size) {
        if (size < 16) {
            throw invalid(wav, "the fmt chunk is truncated (" + size + " bytes, at least 16 expected)");
        }
        int tag = buf.getShort(body) & 0xFFFF;
        int channels = buf.getShort(body + 2) & 0xFFFF;
        long sampleRate = Integer.toUnsignedLong(buf.getInt(body + 4));
        int blockAlign = buf.getShort(body + 12) & 0xFFFF;
        int bits = buf.getShort(body + 14) & 0xFFFF;
        if (tag == FORMAT_EXTENSIBLE) {
            tag = extensibleSubFormat(wav, buf, body, size);
        }
        if (tag != FORMAT_PCM && tag != FORMAT_MULAW) {
            throw invalid(wav, "audio format tag 0x" + Integer.toHexString(tag)
                    + " is not supported (expected PCM or mu-law)");
        }
        if (tag == FORMAT_PCM && bits != 8 && bits != 16) {
            throw invalid(wav, bits + "-bit PCM is not supported (expected 8- or 16-bit)");
        }
        if (tag == FORMAT_MULAW && bits != 8) {
            throw invalid(wav, bits + "-bit mu-law is not valid (mu-law samples are 8 bits)");
        }
        if (channels != 1 && channels != 2) {
            throw invalid(wav, channels + " channels are not supported (expected mono or stereo)");
        }
        if (blockAlign != channels * bits / 8) {
            throw invalid(wav, "block alignment " + blockAlign + " does not match " + channels
                    + " channel(s) of " + bits + " bits");
        }
        if (sampleRate > Integer.MAX_VALUE) {
            throw invalid(wav, "sample rate " + sampleRate + " Hz is out of range");
        }
        try {
            Resampler.factorFor((int) sampleRate);
        } catch (IllegalArgumentException e) {
            throw invalid(wav, e.getMessage());
        }
        return new Format(tag, channels, (int) sampleRate, bits, blockAlign);
    }

    private static int extensibleSubFormat(Path wav, ByteBuffer buf, int body, long size) {
        if (size < 40) {
            throw invalid(wav, "the WAVE_FORMAT_EXTENSIBLE fmt chunk is truncated (" + size + " bytes, 40 expected)");
        }
        int guid = body + 24;
        for (int i = 0; i < KSDATAFORMAT_SUFFIX.length; i++) {
            if (buf.get(guid + 2 + i) != KSDATAFORMAT_SUFFIX[i]) {
                throw invalid(wav, "the WAVE_FORMAT_EXTENSIBLE sub-format is not a standard audio format GUID");
            }
        }
        return buf.getShort(guid) & 0xFFFF;
    }

    private static short[] toMono(ByteBuffer buf, int offset, int length, Format format) {
        int frames = length / format.blockAlign;
        int bytesPerSample = format.bitsPerSample / 8;
        short[] mono = new short[frames];
        for (int frame = 0; frame < frames; frame++) {
            int at = offset + frame * format.blockAlign;
            int sum = 0;
            for (int channel = 0; channel < format.channels; channel++) {
                sum += sampleAt(buf, at + channel * bytesPerSample, format);
            }
            mono[frame] = (short) (sum / format.channels);
        }
        return mono;
    }

    private static int sampleAt(ByteBuffer buf, int at, Format format) {
        if (format.tag == FORMAT_MULAW) {
            return MuLaw.decode(buf.get(at));
        }
        // WAV stores 8-bit PCM unsigned, centred on 128.
        return format.bitsPerSample == 8 ? ((buf.get(at) & 0xFF) - 128) << 8 : buf.getShort(at);
    }

    private static void write(Path wav, short[]... channels) throws IOException {
        int frames = 0;
        for (short[] channel : channels) {
            frames = Math.max(frames, channel.length);
        }
        int blockAlign = channels.length * 2;
        long dataBytes = (long) frames * blockAlign;
        if (dataBytes > MAX_DATA_BYTES) {
            throw new IllegalArgumentException(wav + ": " + frames + " frames of " + channels.length
                    + " channel(s) exceed the 4 GiB limit of a WAV file");
        }
        ByteBuffer block = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
        block.put(ascii("RIFF")).putInt((int) (dataBytes + HEADER_BYTES - 8)).put(ascii("WAVE"));
        block.put(ascii("fmt ")).putInt(16)
                .putShort((short) FORMAT_PCM)
                .putShort((short) channels.length)
                .putInt(OUTPUT_RATE)
                .putInt(OUTPUT_RATE * blockAlign)
                .putShort((short) blockAlign)
                .putShort((short) 16);
        block.put(ascii("data")).putInt((int) dataBytes);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(wav))) {
            for (int frame = 0; frame < frames; frame++) {
                if (block.remaining() < blockAlign) {
                    out.write(block.array(), 0, block.position());
                    block.clear();
                }
                for (short[] channel : channels) {
                    block.putShort(frame < channel.length ? channel[frame] : 0);
                }
            }
            out.write(block.array(), 0, block.position());
        }
    }

    private static String tagAt(byte[] bytes, int offset) {
        return new String(bytes, offset, 4, StandardCharsets.US_ASCII);
    }

    private static byte[] ascii(String tag) {
        return tag.getBytes(StandardCharsets.US_ASCII);
    }

    private static IllegalArgumentException invalid(Path wav, String problem) {
        return new IllegalArgumentException(wav + ": " + problem);
    }
}
