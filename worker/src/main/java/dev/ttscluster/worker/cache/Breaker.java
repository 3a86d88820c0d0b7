package dev.ttscluster.worker.cache;

import java.time.Clock;

/**
 * A circuit breaker for an optional dependency (the feature cache): after {@code failures} failures in
 * a row it opens and callers skip the dependency for {@code openMs}; then one call is let through to
 * probe, and its outcome closes or re-opens the breaker. Recovery needs no operator. Thread-safe; the
 * clock is injected.
 */
public final class Breaker {
    private final int failures;
    private final long openMs;
    private final Clock clock;
    private int failedInARow;
    private long openUntil;
    private boolean probing;

    public Breaker(int failures, long openMs, Clock clock) {
        if (failures < 1 || openMs < 0) {
            throw new IllegalArgumentException("failures must be at least 1 and openMs not negative");
        }
        this.failures = failures;
        this.openMs = openMs;
        this.clock = clock;
    }

    /** True when the caller may use the dependency now (closed, or the one probe after the open time). */
    public synchronized boolean allow() {
        if (failedInARow < failures) {
            return true;
        }
        if (clock.millis() < openUntil || probing) {
            return false;
        }
        probing = true;
        return true;
    }

    public synchronized void succeeded() {
        failedInARow = 0;
        probing = false;
    }

    public synchronized void failed() {
        failedInARow++;
        probing = false;
        if (failedInARow >= failures) {
            openUntil = clock.millis() + openMs;
        }
    }

    /** True while calls are being skipped. */
    public synchronized boolean isOpen() {
        return failedInARow >= failures;
    }
}
