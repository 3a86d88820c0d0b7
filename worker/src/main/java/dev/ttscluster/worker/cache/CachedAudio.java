package dev.ttscluster.worker.cache;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * A segment's synthesized audio as the cache stores it: the exact float samples (so a hit gives audio
 * byte-identical to synthesizing again) and the frames per phone, in a compact binary value with a
 * CRC-32. Layout, big-endian: magic "TTSA", format 1, sample count, duration count, samples (float32),
 * durations (int32), CRC-32 of everything before it.
 *
 * @param samples waveform
 * @param durations frames per input phone
 */
public record CachedAudio(float[] samples, long[] durations) {
    private static final int MAGIC = 0x54545341; // "TTSA"
    private static final byte FORMAT = 1;
    private static final int HEADER = 4 + 1 + 4 + 4;

    /** Bytes of the encoded value. */
    public static int encodedSize(int samples, int durations) {
        return HEADER + 4 * samples + 4 * durations + 8;
    }

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(encodedSize(samples.length, durations.length));
        b.putInt(MAGIC).put(FORMAT).putInt(samples.length).putInt(durations.length);
        for (float s : samples) {
            b.putFloat(s);
        }
        for (long d : durations) {
            b.putInt((int) Math.min(Integer.MAX_VALUE, d));
        }
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        b.putLong(crc.getValue());
        return b.array();
    }

    /** The decoded value, or empty when the bytes are not a whole, intact value of this format. */
    public static Optional<CachedAudio> decode(byte[] value) {
        if (value == null || value.length < HEADER + 8) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(value);
        if (b.getInt() != MAGIC || b.get() != FORMAT) {
            return Optional.empty();
        }
        int n = b.getInt();
        int d = b.getInt();
        if (n < 0 || d < 0 || (long) encodedSize(n, d) != value.length) {
            return Optional.empty();
        }
        CRC32 crc = new CRC32();
        crc.update(value, 0, value.length - 8);
        if (ByteBuffer.wrap(value, value.length - 8, 8).getLong() != crc.getValue()) {
            return Optional.empty();
        }
        float[] samples = new float[n];
        for (int i = 0; i < n; i++) {
            samples[i] = b.getFloat();
        }
        long[] durations = new long[d];
        for (int i = 0; i < d; i++) {
            durations[i] = b.getInt();
        }
        return Optional.of(new CachedAudio(samples, durations));
    }
}
