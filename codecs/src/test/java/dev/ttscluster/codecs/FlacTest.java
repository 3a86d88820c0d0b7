package dev.ttscluster.codecs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttscluster.testing.Eventually;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FlacTest {
    @Test
    void speechLikeAudioBecomesASmallerFlacWhoseHeaderCountsItsSamples() {
        short[] pcm = new short[16000 * 3 + 123];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) Math.round(6000 * Math.sin(2 * Math.PI * 180 * i / 16000.0) * (i % 4000 < 3000 ? 1 : 0));
        }

        byte[] flac = Flac.encode(pcm, 16000);

        assertThat(new String(flac, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("fLaC");
        assertThat(flac.length).isLessThan(pcm.length * 2 / 2);
        // STREAMINFO: after "fLaC" and a 4-byte block header; sample rate 20 bits, channels 3, bits 5, total 36
        ByteBuffer b = ByteBuffer.wrap(flac, 8, 34);
        b.position(8 + 10);
        long packed = b.getLong();
        int rate = (int) (packed >>> 44);
        int channels = (int) ((packed >>> 41) & 0x7) + 1;
        int bits = (int) ((packed >>> 36) & 0x1f) + 1;
        long samples = packed & 0xFFFFFFFFFL;
        assertThat(rate).isEqualTo(16000);
        assertThat(channels).isEqualTo(1);
        assertThat(bits).isEqualTo(16);
        assertThat(samples)
                .as("the header is rewritten at the end with the real count")
                .isEqualTo(pcm.length);
    }

    @Test
    void encodingLeavesNoThreadsBehind() throws Exception {
        short[] pcm = new short[16000];
        Flac.encode(pcm, 16000);
        Thread.sleep(200);
        int before = Thread.activeCount();
        for (int i = 0; i < 5; i++) {
            Flac.encode(pcm, 16000);
        }
        Eventually.onRealTime()
                .await("the encoder's threads to end", Duration.ofSeconds(5), () -> Thread.activeCount() <= before);
    }
}
