package dev.ttscluster.worker.commit;

import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits a consumer's offsets only up to records whose effects are durable ({@link OffsetTracker}):
 * records are {@link #taken} as they are polled and {@link #done} once durable (or skipped for good);
 * {@link #commitAsync()} sends what advanced without waiting for the broker (a failed asynchronous commit is
 * offered again with the next one), {@link #commitSync()} waits (before partitions are revoked and at the
 * end). Not thread-safe: the thread that owns the consumer owns this; only the asynchronous commit's
 * callback runs on the consumer's callback path, on that same thread.
 */
public final class OffsetCommitter {
    private static final Logger log = LoggerFactory.getLogger(OffsetCommitter.class);

    private final Consumer<?, ?> consumer;
    private final OffsetTracker offsets = new OffsetTracker();

    public OffsetCommitter(Consumer<?, ?> consumer) {
        this.consumer = consumer;
    }

    /** A record was handed to the worker: no commit passes it until it is {@link #done}. */
    public void taken(TopicPartition tp, long offset) {
        offsets.taken(tp, offset);
    }

    /** A record's effects are durable (or it was skipped for good). */
    public void done(TopicPartition tp, long offset) {
        offsets.done(tp, offset);
    }

    /** Forgets partitions this worker no longer owns. */
    public void forget(Collection<TopicPartition> partitions) {
        offsets.forget(partitions);
    }

    /**
     * Commits what became durable without waiting for the broker (the polling thread goes back to the
     * model at once); a failed asynchronous commit is sent again with the next one.
     */
    public void commitAsync() {
        Map<TopicPartition, OffsetAndMetadata> next = offsets.advance();
        if (next.isEmpty()) {
            return;
        }
        offsets.committed(next);
        consumer.commitAsync(next, (done, error) -> {
            if (error != null) {
                log.debug("asynchronous commit failed, sending it again later: {}", error.getMessage());
                offsets.uncommitted(next);
            }
        });
    }

    /**
     * Commits what became durable and waits for the broker: before partitions go and at the end. A commit
     * the group refuses after a rebalance is logged, not thrown (its records may be redelivered: harmless).
     *
     * @throws org.apache.kafka.common.KafkaException for other broker errors
     */
    public void commitSync() {
        Map<TopicPartition, OffsetAndMetadata> next = offsets.advanceAll();
        if (next.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(next);
            offsets.committed(next);
        } catch (CommitFailedException | RebalanceInProgressException e) {
            log.warn("commit refused after a rebalance; the batch may be redelivered (harmless): {}", e.getMessage());
        }
    }
}
