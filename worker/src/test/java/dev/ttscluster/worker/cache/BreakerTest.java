package dev.ttscluster.worker.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttscluster.testing.MutableClock;
import org.junit.jupiter.api.Test;

class BreakerTest {
    @Test
    void opensAfterFailuresInARowThenProbesOnceAndRecovers() {
        MutableClock clock = new MutableClock(0);
        Breaker b = new Breaker(3, 1000, clock);

        b.failed();
        b.failed();
        assertThat(b.allow()).as("two failures: still closed").isTrue();
        b.failed();
        assertThat(b.isOpen()).isTrue();
        assertThat(b.allow()).as("open: skip").isFalse();

        clock.advance(1000);
        assertThat(b.allow()).as("one probe after the open time").isTrue();
        assertThat(b.allow()).as("only one probe at a time").isFalse();
        b.failed();
        assertThat(b.allow()).as("probe failed: open again").isFalse();

        clock.advance(1000);
        assertThat(b.allow()).isTrue();
        b.succeeded();
        assertThat(b.isOpen()).isFalse();
        assertThat(b.allow()).isTrue();
    }

    @Test
    void aSuccessResetsTheCount() {
        Breaker b = new Breaker(2, 1000, new MutableClock(0));
        b.failed();
        b.succeeded();
        b.failed();
        assertThat(b.isOpen()).isFalse();
    }
}
