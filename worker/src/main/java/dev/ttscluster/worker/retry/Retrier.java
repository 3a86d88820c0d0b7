package dev.ttscluster.worker.retry;

import dev.ttscluster.common.error.Dependency;
import dev.ttscluster.common.error.RetriableException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a call to a backing server (Redis, S3, the dead-letter topic) again while it fails retriably and the
 * worker runs: the wait doubles from {@code backoffMs} up to {@value #MAX_BACKOFF_MS} ms; each failure is
 * reported with the {@link Dependency} its type names. Nothing is recomputed on retry: only the call. A stop
 * request ({@code running} false) turns the next failure into {@link Stopped}. Other exceptions propagate at
 * once. Thread-safe (stateless besides its collaborators).
 */
public final class Retrier {
    private static final Logger log = LoggerFactory.getLogger(Retrier.class);
    /** Longest wait between two tries. */
    public static final long MAX_BACKOFF_MS = 10_000;

    private final Sleeper sleeper;
    private final long backoffMs;
    private final Consumer<Dependency> onFailure;

    /**
     * @param backoffMs first wait after a failure
     * @param onFailure told of every retriable failure, e.g. to count it against its server
     */
    public Retrier(Sleeper sleeper, long backoffMs, Consumer<Dependency> onFailure) {
        this.sleeper = sleeper;
        this.backoffMs = backoffMs;
        this.onFailure = onFailure;
    }

    /** The first wait after a failure. */
    public long backoffMs() {
        return backoffMs;
    }

    /** The injected sleeper, for callers that pause on a schedule of their own. */
    public Sleeper sleeper() {
        return sleeper;
    }

    /**
     * Returns what {@code op} returns once it succeeds.
     *
     * @throws Stopped when it failed retriably while {@code running} was false, or the wait was interrupted
     */
    public <T> T call(Supplier<T> op, BooleanSupplier running) {
        long wait = backoffMs;
        while (true) {
            try {
                return op.get();
            } catch (RetriableException e) {
                onFailure.accept(e.dependency());
                if (!running.getAsBoolean()) {
                    throw new Stopped();
                }
                log.warn("retrying in {} ms: {}", wait, e.getMessage());
                sleep(sleeper, wait);
                wait = Math.min(wait * 2, MAX_BACKOFF_MS);
            }
        }
    }

    /** As {@link #call}, for an operation without a result. */
    public void run(Runnable op, BooleanSupplier running) {
        call(
                () -> {
                    op.run();
                    return null;
                },
                running);
    }

    /**
     * Sleeps {@code ms} on {@code sleeper}.
     *
     * @throws Stopped when interrupted (the interrupt flag is set again)
     */
    public static void sleep(Sleeper sleeper, long ms) {
        try {
            sleeper.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopped();
        }
    }
}
