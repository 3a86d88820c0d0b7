package dev.ttscluster.worker.batch;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Gathers items from a source into micro-batches under a {@link BatchPolicy}: waits for a first item,
 * then keeps polling with the time left in the window until the batch is full. Items a poll
 * delivered beyond the batch size stay buffered, in order, for the next batch. Not thread-safe: the
 * polling thread owns it.
 *
 * @param <T> item type
 */
public final class BatchAggregator<T> {
    /** Where items come from; Kafka's poll in production. */
    @FunctionalInterface
    public interface Source<T> {
        /** Waits up to {@code timeout} for items; returns what arrived, possibly nothing. */
        Collection<T> poll(Duration timeout);
    }

    private static final Duration IDLE_POLL = Duration.ofMillis(200);

    private final Source<T> source;
    private final BatchPolicy policy;
    private final Clock clock;
    private final Deque<T> buffer = new ArrayDeque<>();

    public BatchAggregator(Source<T> source, BatchPolicy policy, Clock clock) {
        this.source = source;
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * Returns the next batch, or an empty one once {@code running} turns false while waiting.
     * Never returns an empty batch while running.
     */
    public Batch<T> next(BooleanSupplier running) {
        while (buffer.isEmpty()) {
            if (!running.getAsBoolean()) {
                return new Batch<>(List.of(), 0, Batch.CloseReason.STOPPED);
            }
            buffer.addAll(source.poll(IDLE_POLL));
        }
        long first = clock.millis();
        Batch.CloseReason reason = Batch.CloseReason.SIZE;
        while (buffer.size() < policy.maxSize()) {
            long left = policy.windowMs() - (clock.millis() - first);
            if (left <= 0) {
                reason = Batch.CloseReason.WINDOW;
                break;
            }
            if (!running.getAsBoolean()) {
                reason = Batch.CloseReason.STOPPED;
                break;
            }
            buffer.addAll(source.poll(Duration.ofMillis(left)));
        }
        int n = Math.min(policy.maxSize(), buffer.size());
        List<T> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            items.add(buffer.poll());
        }
        return new Batch<>(items, clock.millis() - first, reason);
    }

    /** Drops buffered items matching {@code gone} (e.g. records of revoked partitions). */
    public void drop(Predicate<T> gone) {
        buffer.removeIf(gone);
    }

    /** Items buffered for later batches. */
    public int buffered() {
        return buffer.size();
    }
}
