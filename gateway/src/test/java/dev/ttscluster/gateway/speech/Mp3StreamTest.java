package dev.ttscluster.gateway.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class Mp3StreamTest {
    static byte[] tone(int rate, double seconds) {
        int n = (int) (rate * seconds);
        ByteBuffer b = ByteBuffer.allocate(2 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putShort((short) (8000 * Math.sin(2 * Math.PI * 440 * i / rate)));
        }
        return b.array();
    }

    @Test
    void piecesEncodedAsTheyComeMakeOneMp3OfTheRightSize() {
        Mp3Stream s = new Mp3Stream(16_000);
        ByteArrayOutputStream mp3 = new ByteArrayOutputStream();
        byte[] pcm = tone(16_000, 2.0);
        for (int p = 0; p < pcm.length; p += 7_000) { // segments of odd sizes
            mp3.writeBytes(s.encode(pcm, p, Math.min(7_000, pcm.length - p)));
        }
        mp3.writeBytes(s.finish());
        byte[] out = mp3.toByteArray();
        int first = 0;
        while (first + 1 < out.length && !((out[first] & 0xFF) == 0xFF && (out[first + 1] & 0xE0) == 0xE0)) {
            first++;
        }
        assertThat(first).as("an MPEG frame sync").isLessThan(out.length - 1);
        // 2 s at 48 kbit/s is 12,000 bytes, give or take a frame and LAME's own header frame
        assertThat(out.length).isBetween(10_000, 14_500);
    }

    @Test
    void aRateMp3DoesNotHaveIsRefused() {
        assertThatThrownBy(() -> new Mp3Stream(96_000)).isInstanceOf(IllegalArgumentException.class);
    }
}
