package dev.ttscluster.common.audio;

import dev.ttscluster.common.error.FatalException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * 16-bit PCM mono RIFF/WAVE encoding, parsing and joining. Stateless and thread-safe.
 */
public final class Wav {
    /** Bytes in the canonical header this class writes. */
    public static final int HEADER_BYTES = 44;

    private Wav() {}

    /** Header facts of a parsed file. */
    public record Info(int sampleRate, int channels, int bitsPerSample, int dataOffset, int dataBytes) {
        /** Samples per channel. */
        public long samples() {
            return dataBytes / ((long) channels * (bitsPerSample / 8));
        }

        public double seconds() {
            return samples() / (double) sampleRate;
        }
    }

    /** Encodes samples in [-1, 1] (clipped) as a WAV file. */
    public static byte[] encode(float[] samples, int length, int sampleRate) {
        ByteBuffer b = header(length, sampleRate);
        for (int i = 0; i < length; i++) {
            float v = Math.max(-1f, Math.min(1f, samples[i]));
            b.putShort((short) Math.round(v * 32767f));
        }
        return b.array();
    }

    /** Encodes 16-bit samples as a WAV file. */
    public static byte[] encodePcm(short[] pcm, int sampleRate) {
        ByteBuffer b = header(pcm.length, sampleRate);
        for (short v : pcm) {
            b.putShort(v);
        }
        return b.array();
    }

    /**
     * The 16-bit samples of a mono 16-bit WAV file at {@code sampleRate}.
     *
     * @throws FatalException if it is not one
     */
    public static short[] pcm(byte[] wav, int sampleRate) {
        Info info = parse(wav);
        if (info.sampleRate() != sampleRate || info.channels() != 1 || info.bitsPerSample() != 16) {
            throw new FatalException("WAV has format " + info + ", expected 16-bit mono at " + sampleRate);
        }
        short[] out = new short[info.dataBytes() / 2];
        ByteBuffer.wrap(wav, info.dataOffset(), info.dataBytes())
                .order(ByteOrder.LITTLE_ENDIAN)
                .asShortBuffer()
                .get(out);
        return out;
    }

    /**
     * Joins WAV files of the same format into one, in order.
     *
     * @throws FatalException if a part is not a 16-bit mono WAV at {@code sampleRate}
     */
    public static byte[] join(List<byte[]> parts, int sampleRate) {
        long total = 0;
        Info[] infos = new Info[parts.size()];
        for (int i = 0; i < parts.size(); i++) {
            infos[i] = parse(parts.get(i));
            if (infos[i].sampleRate() != sampleRate || infos[i].channels() != 1 || infos[i].bitsPerSample() != 16) {
                throw new FatalException(
                        "part " + i + " has format " + infos[i] + ", expected 16-bit mono at " + sampleRate);
            }
            total += infos[i].dataBytes();
        }
        if (total > Integer.MAX_VALUE - HEADER_BYTES) {
            throw new FatalException("joined audio too large: " + total + " bytes");
        }
        ByteBuffer b = header((int) (total / 2), sampleRate);
        for (int i = 0; i < parts.size(); i++) {
            b.put(parts.get(i), infos[i].dataOffset(), infos[i].dataBytes());
        }
        return b.array();
    }

    /**
     * Reads the header of a RIFF/WAVE file (PCM), walking its chunks.
     *
     * @throws FatalException if the bytes are not a well-formed PCM WAV file
     */
    public static Info parse(byte[] wav) {
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        if (wav.length < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
            throw new FatalException("not a RIFF/WAVE file");
        }
        int pos = 12;
        int rate = -1;
        int channels = -1;
        int bits = -1;
        while (pos + 8 <= wav.length) {
            int id = b.getInt(pos);
            int size = b.getInt(pos + 4);
            int body = pos + 8;
            if (size < 0 || body + (long) size > wav.length) {
                throw new FatalException("truncated WAV chunk at byte " + pos);
            }
            if (id == 0x20746d66) { // "fmt "
                if (size < 16) {
                    throw new FatalException("WAV fmt chunk too short: " + size + " bytes");
                }
                if (b.getShort(body) != 1) {
                    throw new FatalException("WAV is not PCM");
                }
                channels = b.getShort(body + 2);
                rate = b.getInt(body + 4);
                bits = b.getShort(body + 14);
                if (channels < 1 || bits < 8) {
                    throw new FatalException("WAV has " + channels + " channels of " + bits + " bits");
                }
            } else if (id == 0x61746164) { // "data"
                if (rate < 0) {
                    throw new FatalException("WAV data before fmt chunk");
                }
                return new Info(rate, channels, bits, body, size);
            }
            pos = body + size + (size & 1);
        }
        throw new FatalException("WAV has no data chunk");
    }

    private static ByteBuffer header(int samples, int sampleRate) {
        int dataBytes = samples * 2;
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46464952).putInt(36 + dataBytes).putInt(0x45564157);
        b.putInt(0x20746d66)
                .putInt(16)
                .putShort((short) 1)
                .putShort((short) 1)
                .putInt(sampleRate)
                .putInt(sampleRate * 2)
                .putShort((short) 2)
                .putShort((short) 16);
        b.putInt(0x61746164).putInt(dataBytes);
        return b;
    }
}
