package dev.ttscluster.common.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ttscluster.common.error.FatalException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WavTest {
    private static short sample(byte[] wav, Wav.Info info, int i) {
        return ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN).getShort(info.dataOffset() + 2 * i);
    }

    private static byte[] data(byte[] wav) {
        Wav.Info info = Wav.parse(wav);
        return Arrays.copyOfRange(wav, info.dataOffset(), info.dataOffset() + info.dataBytes());
    }

    @Test
    void encodeThenParseRoundTrips() {
        float[] samples = {0f, 0.5f, -0.5f, 1f, -1f, 0.25f};
        byte[] wav = Wav.encode(samples, samples.length, 22050);
        Wav.Info info = Wav.parse(wav);
        assertThat(wav).hasSize(Wav.HEADER_BYTES + 2 * samples.length);
        assertThat(info.sampleRate()).isEqualTo(22050);
        assertThat(info.channels()).isEqualTo(1);
        assertThat(info.bitsPerSample()).isEqualTo(16);
        assertThat(info.dataOffset()).isEqualTo(Wav.HEADER_BYTES);
        assertThat(info.samples()).isEqualTo(samples.length);
        assertThat(info.seconds()).isEqualTo(samples.length / 22050.0);
        for (int i = 0; i < samples.length; i++) {
            assertThat(sample(wav, info, i)).isEqualTo((short) Math.round(samples[i] * 32767f));
        }
    }

    @Test
    void encodeUsesOnlyLengthSamples() {
        byte[] wav = Wav.encode(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, 2, 16000);
        assertThat(Wav.parse(wav).samples()).isEqualTo(2);
    }

    @Test
    void emptyAudioRoundTrips() {
        Wav.Info info = Wav.parse(Wav.encode(new float[0], 0, 16000));
        assertThat(info.samples()).isZero();
    }

    @Test
    void valuesBeyondUnitRangeAreClipped() {
        byte[] wav =
                Wav.encode(new float[] {2f, -3f, 1.0001f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}, 5, 8000);
        Wav.Info info = Wav.parse(wav);
        assertThat(sample(wav, info, 0)).isEqualTo((short) 32767);
        assertThat(sample(wav, info, 1)).isEqualTo((short) -32767);
        assertThat(sample(wav, info, 2)).isEqualTo((short) 32767);
        assertThat(sample(wav, info, 3)).isEqualTo((short) 32767);
        assertThat(sample(wav, info, 4)).isEqualTo((short) -32767);
    }

    @Test
    void joinSumsSamplesAndKeepsDataBytes() {
        byte[] a = Wav.encode(new float[] {0.1f, 0.2f, 0.3f}, 3, 16000);
        byte[] b = Wav.encode(new float[] {-0.4f, 0.5f}, 2, 16000);
        byte[] joined = Wav.join(List.of(a, b), 16000);
        Wav.Info info = Wav.parse(joined);
        assertThat(info.samples()).isEqualTo(5);
        assertThat(info.sampleRate()).isEqualTo(16000);
        byte[] expected = new byte[10];
        System.arraycopy(data(a), 0, expected, 0, 6);
        System.arraycopy(data(b), 0, expected, 6, 4);
        assertThat(data(joined)).isEqualTo(expected);
    }

    @Test
    void joinOfNothingIsEmptyWav() {
        assertThat(Wav.parse(Wav.join(List.of(), 16000)).samples()).isZero();
    }

    @Test
    void joinRejectsPartAtOtherRate() {
        byte[] a = Wav.encode(new float[] {0.1f}, 1, 16000);
        byte[] b = Wav.encode(new float[] {0.1f}, 1, 22050);
        assertThatThrownBy(() -> Wav.join(List.of(a, b), 16000))
                .isInstanceOf(FatalException.class)
                .hasMessageContaining("part 1");
    }

    @Test
    void parseRejectsNonRiff() {
        assertThatThrownBy(() -> Wav.parse("this is not a wav file at all".getBytes()))
                .isInstanceOf(FatalException.class);
        assertThatThrownBy(() -> Wav.parse(new byte[0])).isInstanceOf(FatalException.class);
        assertThatThrownBy(() -> Wav.parse(new byte[] {'R', 'I', 'F', 'F'})).isInstanceOf(FatalException.class);
    }

    @Test
    void parseRejectsTruncatedInputAtEveryLength() {
        byte[] wav = Wav.encode(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, 4, 16000);
        for (int len = 0; len < wav.length; len++) {
            byte[] cut = Arrays.copyOf(wav, len);
            assertThatThrownBy(() -> Wav.parse(cut)).as("length " + len).isInstanceOf(FatalException.class);
        }
    }

    @Test
    void parseRejectsShortFmtChunk() {
        ByteBuffer b = ByteBuffer.allocate(12 + 8 + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46464952).putInt(16).putInt(0x45564157);
        b.putInt(0x20746d66).putInt(4).putShort((short) 1).putShort((short) 1);
        assertThatThrownBy(() -> Wav.parse(b.array())).isInstanceOf(FatalException.class);
    }

    @Test
    void parseRejectsZeroChannels() {
        byte[] wav = Wav.encode(new float[] {0.1f}, 1, 16000);
        wav[22] = 0;
        assertThatThrownBy(() -> Wav.parse(wav)).isInstanceOf(FatalException.class);
    }

    @Test
    void parseRejectsNonPcm() {
        byte[] wav = Wav.encode(new float[] {0.1f}, 1, 16000);
        wav[20] = 3; // IEEE float format tag
        assertThatThrownBy(() -> Wav.parse(wav))
                .isInstanceOf(FatalException.class)
                .hasMessageContaining("PCM");
    }

    @Test
    void parseSkipsUnknownChunks() {
        byte[] plain = Wav.encode(new float[] {0.5f, -0.5f}, 2, 16000);
        ByteBuffer b = ByteBuffer.allocate(plain.length + 8 + 3 + 1).order(ByteOrder.LITTLE_ENDIAN);
        b.put(plain, 0, 36);
        b.putInt(0x5453494c).putInt(3).put(new byte[] {1, 2, 3}).put((byte) 0); // odd "LIST" chunk, padded
        b.put(plain, 36, plain.length - 36);
        byte[] wav = b.array();
        Wav.Info info = Wav.parse(wav);
        assertThat(info.samples()).isEqualTo(2);
        assertThat(data(wav)).isEqualTo(data(plain));
    }
}
