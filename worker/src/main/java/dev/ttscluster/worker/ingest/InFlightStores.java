package dev.ttscluster.worker.ingest;

import dev.ttscluster.worker.metrics.WorkerMetrics;
import dev.ttscluster.worker.retry.Stopped;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable steps running on {@link StoreThreads}, oldest first, with the records each will make durable.
 * A step that succeeded hands its records to {@code onDurable} (the loop marks their offsets done); one that
 * failed or was abandoned leaves them uncommitted (redelivered). Bounds how many steps of a kind may be in
 * flight. Not thread-safe: the polling thread owns it (the steps themselves run on the store threads).
 */
final class InFlightStores {
    private static final Logger log = LoggerFactory.getLogger(InFlightStores.class);

    /** Records whose durable step runs on another thread. */
    private record InFlight(List<PolledRecord> items, Future<?> durable, StoreKind kind) {}

    private final Deque<InFlight> inFlight = new ArrayDeque<>();
    private final StoreThreads threads;
    private final Consumer<List<PolledRecord>> onDurable;
    private final WorkerMetrics metrics;
    private final Clock clock;

    /**
     * @param threads where the steps run; null when every step runs on the polling thread (nothing in flight)
     * @param onDurable told of the records of each step that succeeded, on the polling thread
     */
    InFlightStores(StoreThreads threads, Consumer<List<PolledRecord>> onDurable, WorkerMetrics metrics, Clock clock) {
        this.threads = threads;
        this.onDurable = onDurable;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Starts {@code step} on the threads of {@code kind}. */
    void submit(StoreKind kind, List<PolledRecord> items, Runnable step) {
        inFlight.addLast(new InFlight(items, threads.of(kind).submit(step), kind));
        metrics.inFlight(inFlight.size());
    }

    boolean isEmpty() {
        return inFlight.isEmpty();
    }

    /** Fewer than {@code storeInFlight} bulk steps are still running (always true without store threads). */
    boolean bulkOpen() {
        return threads == null
                || inFlight.stream()
                                .filter(f -> f.kind() == StoreKind.BULK
                                        && !f.durable().isDone())
                                .count()
                        < threads.storeInFlight();
    }

    /**
     * Waits, oldest first, until at most {@code max} durable steps of {@code kind} are in flight.
     *
     * @throws Stopped when a step was abandoned because the worker is stopping
     */
    void bound(StoreKind kind, int max) {
        while (true) {
            List<InFlight> mine =
                    inFlight.stream().filter(f -> f.kind() == kind).toList();
            if (mine.size() <= max) {
                return;
            }
            await(mine.get(0), Long.MAX_VALUE);
        }
    }

    /**
     * Collects finished steps, oldest first, up to the first still running.
     *
     * @return whether any was collected (something may have become committable)
     * @throws RuntimeException what a failed step threw ({@link Stopped} when it was abandoned)
     */
    boolean reap() {
        boolean any = false;
        while (!inFlight.isEmpty() && inFlight.peekFirst().durable().isDone()) {
            awaitOldest(0);
            any = true;
        }
        return any;
    }

    /**
     * Waits up to {@code timeoutMs} for the oldest step.
     *
     * @throws Stopped when the step was abandoned because the worker is stopping
     */
    void awaitOldest(long timeoutMs) {
        await(inFlight.peekFirst(), timeoutMs);
    }

    /** Waits up to {@code graceMs} for every step; those not durable by then stay uncommitted and are forgotten. */
    void drain(long graceMs) {
        long deadline = clock.millis() + graceMs;
        while (!inFlight.isEmpty()) {
            long left = deadline - clock.millis();
            if (left <= 0) {
                log.warn("{} batches not durable after {} ms; they will be redelivered", inFlight.size(), graceMs);
                inFlight.clear();
                return;
            }
            try {
                awaitOldest(left);
            } catch (Stopped e) {
                // abandoned: stays uncommitted
            }
        }
    }

    /**
     * Waits for one step; hands its records to {@code onDurable} when it succeeded (commits still only
     * advance past records whose every predecessor is done).
     *
     * @throws Stopped when the step was abandoned because the worker is stopping
     */
    private void await(InFlight f, long timeoutMs) {
        try {
            if (timeoutMs == Long.MAX_VALUE) {
                f.durable().get();
            } else {
                f.durable().get(timeoutMs, TimeUnit.MILLISECONDS);
            }
            inFlight.removeFirstOccurrence(f);
            onDurable.accept(f.items());
        } catch (ExecutionException e) {
            inFlight.removeFirstOccurrence(f);
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopped();
        } finally {
            metrics.inFlight(inFlight.size());
        }
    }
}
