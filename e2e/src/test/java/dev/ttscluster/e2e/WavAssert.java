package dev.ttscluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ttscluster.common.audio.Wav;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The checks the end-to-end tests make of the audio the cluster returns. Stateless. */
final class WavAssert {
    /** The cluster's audio format: 16 kHz, mono, 16-bit. */
    static final int RATE = 16000;

    private WavAssert() {}

    /**
     * Asserts a whole WAV file in the cluster's format whose length is {@code seconds} (null: any); returns its
     * header.
     */
    static Wav.Info isServiceWav(byte[] wav, Double seconds) {
        Wav.Info info = Wav.parse(wav);
        assertThat(info.sampleRate()).isEqualTo(RATE);
        assertThat(info.channels()).isEqualTo(1);
        assertThat(info.bitsPerSample()).isEqualTo(16);
        if (seconds != null) {
            assertThat(info.seconds()).isCloseTo(seconds, within(1e-6));
        }
        return info;
    }

    /** The samples of a streamed WAV: 16-bit mono PCM at {@code rate}, sizes 0xFFFFFFFF, data to the end. */
    static short[] streamedWavSamples(byte[] wav, int rate) {
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(wav.length).isGreaterThan(44);
        assertThat(new String(wav, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        assertThat(new String(wav, 8, 8, StandardCharsets.US_ASCII)).isEqualTo("WAVEfmt ");
        assertThat(b.getInt(4)).as("RIFF size: unknown while streaming").isEqualTo(0xFFFFFFFF);
        assertThat(b.getShort(20)).as("PCM").isEqualTo((short) 1);
        assertThat(b.getShort(22)).as("mono").isEqualTo((short) 1);
        assertThat(b.getInt(24)).as("sample rate").isEqualTo(rate);
        assertThat(b.getShort(34)).as("bits").isEqualTo((short) 16);
        assertThat(new String(wav, 36, 4, StandardCharsets.US_ASCII)).isEqualTo("data");
        assertThat(b.getInt(40)).as("data size: unknown while streaming").isEqualTo(0xFFFFFFFF);
        assertThat((wav.length - 44) % 2).isZero();
        return pcm(Arrays.copyOfRange(wav, 44, wav.length));
    }

    /** 16-bit little-endian samples. */
    static short[] pcm(byte[] le) {
        assertThat(le.length % 2).isZero();
        short[] s = new short[le.length / 2];
        ByteBuffer.wrap(le).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
        return s;
    }
}
