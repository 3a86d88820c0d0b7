package dev.ttscluster.gateway.speech;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The header of a WAV stream whose length is not known when it starts: 16-bit PCM mono, RIFF and data sizes
 * 0xFFFFFFFF ("to the end of the stream", as ffmpeg, browsers and OpenAI's own streamed WAV use them).
 */
public final class StreamingWav {
    /** The size field's value meaning "unknown, read to the end". */
    public static final int UNKNOWN_SIZE = 0xFFFFFFFF;

    private StreamingWav() {}

    /** The 44-byte header for 16-bit mono PCM at {@code sampleRate}, sizes unknown. */
    public static byte[] header(int sampleRate) {
        ByteBuffer b = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46464952).putInt(UNKNOWN_SIZE).putInt(0x45564157);
        b.putInt(0x20746d66)
                .putInt(16)
                .putShort((short) 1)
                .putShort((short) 1)
                .putInt(sampleRate)
                .putInt(sampleRate * 2)
                .putShort((short) 2)
                .putShort((short) 16);
        b.putInt(0x61746164).putInt(UNKNOWN_SIZE);
        return b.array();
    }
}
