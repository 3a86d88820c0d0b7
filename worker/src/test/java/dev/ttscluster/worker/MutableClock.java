package dev.ttscluster.worker;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand. */
public final class MutableClock extends Clock {
    private long millis;

    public MutableClock(long startMillis) {
        this.millis = startMillis;
    }

    public synchronized void advance(long ms) {
        millis += ms;
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
