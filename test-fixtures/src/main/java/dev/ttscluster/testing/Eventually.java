package dev.ttscluster.testing;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for a condition by polling it, every {@link #every interval}, until a deadline read from an
 * injected clock. {@link #onRealTime()} polls on the system clock and really sleeps (for tests against
 * real servers); {@link #on(MutableClock)} "sleeps" by advancing the test's clock, so a test of code
 * driven by that clock never sleeps for real.
 *
 * <p>Immutable and thread-safe. {@link #await} fails with {@link AssertionError} (naming what it
 * waited for) when the deadline passes or the thread is interrupted (its interrupt flag set again).
 */
public final class Eventually {
    /** How the poller passes the time between two polls. */
    @FunctionalInterface
    public interface Sleeper {
        /**
         * Lets {@code pause} go by.
         *
         * @throws InterruptedException when the waiting thread is interrupted
         */
        void sleep(Duration pause) throws InterruptedException;
    }

    private static final Duration DEFAULT_INTERVAL = Duration.ofMillis(20);

    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration interval;

    private Eventually(Clock clock, Sleeper sleeper, Duration interval) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        this.interval = interval;
    }

    /** Polls every 20 ms on the system clock, sleeping the thread in between. */
    public static Eventually onRealTime() {
        return new Eventually(Clock.systemUTC(), pause -> Thread.sleep(pause.toMillis()), DEFAULT_INTERVAL);
    }

    /** Polls every 20 ms of {@code clock}'s time, advancing it in between instead of sleeping. */
    public static Eventually on(MutableClock clock) {
        return new Eventually(clock, pause -> clock.advance(pause.toMillis()), DEFAULT_INTERVAL);
    }

    /** Polls every 20 ms on {@code clock}, passing the time in between with {@code sleeper}. */
    public static Eventually on(Clock clock, Sleeper sleeper) {
        return new Eventually(clock, sleeper, DEFAULT_INTERVAL);
    }

    /** The same poller, polling every {@code pause} instead. */
    public Eventually every(Duration pause) {
        return new Eventually(clock, sleeper, pause);
    }

    /**
     * True as soon as {@code condition} holds, false when it still does not at {@code timeout}. The
     * condition is tried at least once.
     *
     * @throws AssertionError when the thread is interrupted while waiting
     */
    public boolean within(Duration timeout, BooleanSupplier condition) {
        long deadline = clock.millis() + timeout.toMillis();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (clock.millis() >= deadline) {
                return false;
            }
            pause("a condition");
        }
    }

    /**
     * Returns once {@code condition} holds.
     *
     * @throws AssertionError naming {@code what} when it still does not at {@code timeout}, or when the
     *     thread is interrupted
     */
    public void await(String what, Duration timeout, BooleanSupplier condition) {
        if (!within(timeout, condition)) {
            throw new AssertionError("timed out after " + timeout + " waiting for " + what);
        }
    }

    /**
     * Polls {@code probe} until its value passes {@code done}, and returns that value.
     *
     * @throws AssertionError naming {@code what} and the last value seen when none passes by
     *     {@code timeout}, or when the thread is interrupted
     */
    public <T> T await(String what, Duration timeout, Supplier<T> probe, Predicate<? super T> done) {
        long deadline = clock.millis() + timeout.toMillis();
        while (true) {
            T value = probe.get();
            if (done.test(value)) {
                return value;
            }
            if (clock.millis() >= deadline) {
                throw new AssertionError(
                        "timed out after " + timeout + " waiting for " + what + "; last seen: " + value);
            }
            pause(what);
        }
    }

    private void pause(String what) {
        try {
            sleeper.sleep(interval);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        }
    }
}
