package dev.ttscluster.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventuallyTest {
    @Test
    void pollsOnTheMutableClockWithoutSleeping() {
        MutableClock clock = new MutableClock(0);
        Eventually eventually = Eventually.on(clock).every(Duration.ofMillis(100));

        eventually.await("the clock to reach one second", Duration.ofSeconds(5), () -> clock.millis() >= 1000);

        assertThat(clock.millis()).isEqualTo(1000);
    }

    @Test
    void aTimeoutNamesWhatItWaitedForAndTheLastValue() {
        MutableClock clock = new MutableClock(0);
        AtomicInteger polls = new AtomicInteger();

        assertThatThrownBy(() -> Eventually.on(clock)
                        .await("seven", Duration.ofSeconds(1), polls::incrementAndGet, n -> n == -1))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("seven")
                .hasMessageContaining("last seen: 51");
        assertThat(clock.millis()).isEqualTo(1000);
    }

    @Test
    void withinSaysFalseAtTheDeadlineAfterTryingAtLeastOnce() {
        MutableClock clock = new MutableClock(0);
        AtomicInteger polls = new AtomicInteger();

        boolean met = Eventually.on(clock).within(Duration.ZERO, () -> polls.incrementAndGet() < 0);

        assertThat(met).isFalse();
        assertThat(polls).hasValue(1);
    }

    @Test
    void anInterruptedWaitFailsAndKeepsTheInterruptFlag() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> Eventually.onRealTime().await("never", Duration.ofSeconds(5), () -> false))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("interrupted");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
