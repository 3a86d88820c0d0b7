package dev.ttscluster.codecs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import net.sourceforge.javaflacencoder.EncodingConfiguration;
import net.sourceforge.javaflacencoder.FLACEncoder;
import net.sourceforge.javaflacencoder.FLACOutputStream;
import net.sourceforge.javaflacencoder.StreamConfiguration;

/**
 * FLAC, lossless and about half the size of WAV for speech, encoded with javaFlacEncoder (LGPL 2.1, a
 * Maven dependency) on the calling thread, into memory. The stream header carries the final sample count
 * and MD5 (the output is seekable). Stateless.
 */
public final class Flac {
    private Flac() {}

    /** 16-bit mono samples at {@code sampleRate} as a FLAC file. */
    public static byte[] encode(short[] pcm, int sampleRate) {
        Bytes out = new Bytes();
        FLACEncoder enc = new FLACEncoder();
        StreamConfiguration sc = new StreamConfiguration(
                1,
                StreamConfiguration.DEFAULT_MIN_BLOCK_SIZE,
                StreamConfiguration.DEFAULT_MAX_BLOCK_SIZE,
                sampleRate,
                16);
        if (!enc.setStreamConfiguration(sc) || !enc.setEncodingConfiguration(new EncodingConfiguration())) {
            throw new IllegalStateException("FLAC encoder refused its configuration at " + sampleRate + " Hz");
        }
        enc.setThreadCount(1); // one helper thread while encoding (its single-threaded path fails in 0.3.7)
        enc.setOutputStream(out);
        try {
            enc.openFLACStream();
            int block = 16_384;
            int[] buf = new int[block];
            for (int at = 0; at < pcm.length; at += block) {
                int n = Math.min(block, pcm.length - at);
                for (int i = 0; i < n; i++) {
                    buf[i] = pcm[at + i];
                }
                enc.addSamples(buf, n);
                enc.encodeSamples(enc.fullBlockSamplesAvailableToEncode(), false);
            }
            enc.encodeSamples(enc.samplesAvailableToEncode(), true);
        } catch (IOException e) {
            throw new UncheckedIOException("FLAC encoding into memory failed", e);
        }
        return out.toByteArray();
    }

    /** A seekable in-memory output, so the encoder can rewrite the stream header at the end. */
    private static final class Bytes implements FLACOutputStream {
        private byte[] data = new byte[64 * 1024];
        private int size;
        private int pos;

        @Override
        public long seek(long to) {
            pos = (int) to;
            return pos;
        }

        @Override
        public int write(byte[] b, int off, int len) {
            ensure(pos + len);
            System.arraycopy(b, off, data, pos, len);
            pos += len;
            size = Math.max(size, pos);
            return len;
        }

        @Override
        public void write(byte b) {
            ensure(pos + 1);
            data[pos++] = b;
            size = Math.max(size, pos);
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public boolean canSeek() {
            return true;
        }

        @Override
        public long getPos() {
            return pos;
        }

        private void ensure(int capacity) {
            if (capacity > data.length) {
                data = Arrays.copyOf(data, Math.max(capacity, data.length * 2));
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
