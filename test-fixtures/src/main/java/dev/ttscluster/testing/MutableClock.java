package dev.ttscluster.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock tests move by hand: it stands still until {@link #advance} moves it, so code that takes a
 * {@link Clock} is tested without sleeping. Always UTC; {@link #withZone} returns this clock.
 * Thread-safe.
 */
public final class MutableClock extends Clock {
    private long millis;

    /** A clock standing at {@code startMillis} (epoch milliseconds). */
    public MutableClock(long startMillis) {
        this.millis = startMillis;
    }

    /** Moves the clock forward by {@code ms} milliseconds (backward when negative). */
    public synchronized void advance(long ms) {
        millis += ms;
    }

    /** Moves the clock forward by {@code step}. */
    public void advance(Duration step) {
        advance(step.toMillis());
    }

    @Override
    public synchronized long millis() {
        return millis;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }
}
