package dev.ttscluster.worker.ingest;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Pauses the bulk lane's partitions while enough bulk work is buffered and resumes them when it ran low
 * (below half): bulk never fills the buffer, so interactive records are always fetched at the next poll,
 * however large a book is. Not thread-safe: the thread that owns the consumer uses it.
 */
final class LaneThrottle {
    /**
     * Bulk segments buffered beyond which bulk partitions are paused: at most about this many bulk segments
     * wait in this worker's memory.
     */
    static final int BULK_BUFFERED = 32;

    private final Consumer<?, ?> consumer;

    LaneThrottle(Consumer<?, ?> consumer) {
        this.consumer = consumer;
    }

    /** Pauses or resumes the assigned bulk partitions for {@code bulkBuffered} bulk segments held (buffered and arriving). */
    void adjust(int bulkBuffered) {
        List<TopicPartition> lane = new ArrayList<>();
        for (TopicPartition tp : consumer.assignment()) {
            if (Lane.of(tp.topic()) == Lane.BULK) {
                lane.add(tp);
            }
        }
        if (lane.isEmpty()) {
            return;
        }
        boolean paused = consumer.paused().containsAll(lane);
        if (bulkBuffered >= BULK_BUFFERED && !paused) {
            consumer.pause(lane);
        } else if (bulkBuffered < BULK_BUFFERED / 2 && !consumer.paused().isEmpty()) {
            consumer.resume(lane);
        }
    }
}
