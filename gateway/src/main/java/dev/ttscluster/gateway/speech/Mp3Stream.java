package dev.ttscluster.gateway.speech;

import de.sciss.jump3r.lowlevel.LameEncoder;
import java.io.ByteArrayOutputStream;
import javax.sound.sampled.AudioFormat;

/**
 * MP3 of a mono 16-bit stream, encoded piece by piece as the segments arrive (jump3r, a pure-Java port of LAME,
 * LGPL 2.1+): MPEG frames concatenate, so each piece can leave at once and the last bytes come from
 * {@link #finish()}. Constant bit rate, mono. Not thread-safe: one per response.
 */
public final class Mp3Stream {
    /** Kilobits per second: speech at 16 to 24 kHz mono is clear at this rate. */
    static final int BITRATE_KBPS = 48;

    private final LameEncoder encoder;
    private final byte[] out;
    private final int chunk;

    /**
     * @param sampleRate of the PCM given to {@link #encode}; MP3 serves 8 to 48 kHz
     * @throws IllegalArgumentException for a rate MP3 does not have
     */
    public Mp3Stream(int sampleRate) {
        if (sampleRate < 8000 || sampleRate > 48000) {
            throw new IllegalArgumentException("MP3 has no sample rate " + sampleRate);
        }
        encoder = new LameEncoder(
                new AudioFormat(sampleRate, 16, 1, true, false),
                BITRATE_KBPS,
                LameEncoder.CHANNEL_MODE_MONO,
                LameEncoder.QUALITY_MIDDLE,
                false);
        chunk = encoder.getPCMBufferSize();
        out = new byte[encoder.getMP3BufferSize()];
    }

    /** MP3 bytes for the next {@code len} bytes of 16-bit little-endian PCM (possibly none yet: LAME buffers a frame). */
    public byte[] encode(byte[] pcm, int off, int len) {
        ByteArrayOutputStream mp3 = new ByteArrayOutputStream(len / 4 + 64);
        for (int p = off; p < off + len; p += chunk) {
            int n = encoder.encodeBuffer(pcm, p, Math.min(chunk, off + len - p), out);
            mp3.write(out, 0, n);
        }
        return mp3.toByteArray();
    }

    /** The last frames; the stream is done after this. */
    public byte[] finish() {
        int n = encoder.encodeFinish(out);
        byte[] last = java.util.Arrays.copyOf(out, n);
        encoder.close();
        return last;
    }
}
