package dev.ttscluster.worker.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CachedAudioTest {
    private static CachedAudio sample() {
        Random r = new Random(3);
        float[] s = new float[1000];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) r.nextGaussian() * 0.3f;
        }
        return new CachedAudio(s, new long[] {4, 7, 2, 9});
    }

    @Test
    void roundTripIsExact() {
        CachedAudio a = sample();
        byte[] v = a.encode();

        CachedAudio b = CachedAudio.decode(v).orElseThrow();

        assertThat(v).hasSize(CachedAudio.encodedSize(1000, 4));
        assertThat(b.samples()).containsExactly(a.samples());
        assertThat(b.durations()).containsExactly(a.durations());
    }

    @Test
    void anyCorruptionIsAMissNeverAnError() {
        byte[] v = sample().encode();
        for (int i = 0; i < v.length; i += 97) {
            byte[] bad = v.clone();
            bad[i] ^= 0x10;
            assertThat(CachedAudio.decode(bad)).as("flipped byte %d", i).isEmpty();
        }
        assertThat(CachedAudio.decode(java.util.Arrays.copyOf(v, v.length - 1))).isEmpty();
        assertThat(CachedAudio.decode(new byte[0])).isEmpty();
        assertThat(CachedAudio.decode(null)).isEmpty();
        assertThat(CachedAudio.decode("not audio at all, just text".getBytes())).isEmpty();
    }
}
