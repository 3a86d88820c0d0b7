package dev.ttscluster.worker.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RecentAudioTest {
    /** 64 bytes of overhead + 4 per sample + 8 per duration: 1000 samples, 2 durations = 4080 bytes. */
    private static CachedAudio audio(float first) {
        float[] s = new float[1000];
        s[0] = first;
        return new CachedAudio(s, new long[] {3, 4});
    }

    @Test
    void theLeastRecentlyUsedEntryGoesFirstWhenTheBoundIsPassed() {
        RecentAudio recent = new RecentAudio(3 * 4080);
        recent.put("a", audio(1));
        recent.put("b", audio(2));
        recent.put("c", audio(3));
        assertThat(recent.get("a")).isNotNull(); // a is now the most recently used

        recent.put("d", audio(4));

        assertThat(recent.get("b")).as("least recently used").isNull();
        assertThat(recent.get("a").samples()[0]).isEqualTo(1);
        assertThat(recent.get("c")).isNotNull();
        assertThat(recent.get("d")).isNotNull();
        assertThat(recent.bytes()).isLessThanOrEqualTo(3 * 4080);
    }

    @Test
    void replacingAnEntryCountsItsBytesOnce() {
        RecentAudio recent = new RecentAudio(10 * 4080);
        recent.put("a", audio(1));
        recent.put("a", audio(2));

        assertThat(recent.size()).isEqualTo(1);
        assertThat(recent.bytes()).isEqualTo(4080);
        assertThat(recent.get("a").samples()[0]).isEqualTo(2);
    }

    @Test
    void anEntryLargerThanTheBoundIsNotHeldAndEvictsNothing() {
        RecentAudio recent = new RecentAudio(5000);
        recent.put("small", new CachedAudio(new float[10], new long[0]));
        recent.put("big", new CachedAudio(new float[2000], new long[0]));

        assertThat(recent.get("big")).isNull();
        assertThat(recent.get("small")).isNotNull();
        assertThat(new RecentAudio(0).size()).isZero();
        assertThatThrownBy(() -> new RecentAudio(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
