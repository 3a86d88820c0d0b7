package dev.ttscluster.worker.commit;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets may be committed when records finish out of order (length-grouped batches, batches
 * completing while others are in flight): per partition, the committable offset is the lowest
 * offset taken but not yet done, or one past the highest taken when all are done. So a commit never
 * skips a record that is still buffered or in flight. Not thread-safe: the polling thread owns it.
 */
final class OffsetTracker {
    private final Map<TopicPartition, TreeSet<Long>> pending = new HashMap<>();
    private final Map<TopicPartition, Long> highest = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final Map<TopicPartition, Long> first = new HashMap<>();

    /** A record was handed to the worker. */
    void taken(TopicPartition tp, long offset) {
        pending.computeIfAbsent(tp, k -> new TreeSet<>()).add(offset);
        highest.merge(tp, offset, Math::max);
        first.merge(tp, offset, Math::min);
    }

    /** A record's effects are durable (or it was skipped for good). */
    void done(TopicPartition tp, long offset) {
        TreeSet<Long> p = pending.get(tp);
        if (p != null) {
            p.remove(offset);
        }
    }

    /** Offsets that advanced since the last call, to commit now. */
    Map<TopicPartition, OffsetAndMetadata> advance() {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        for (Map.Entry<TopicPartition, Long> e : highest.entrySet()) {
            TreeSet<Long> p = pending.get(e.getKey());
            long next = p == null || p.isEmpty() ? e.getValue() + 1 : p.first();
            long last = committed.getOrDefault(e.getKey(), first.get(e.getKey()));
            if (next > last) {
                out.put(e.getKey(), new OffsetAndMetadata(next));
            }
        }
        return out;
    }

    /** Every partition's committable offset that is past its start, whether sent before or not. */
    Map<TopicPartition, OffsetAndMetadata> advanceAll() {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        for (Map.Entry<TopicPartition, Long> e : highest.entrySet()) {
            TreeSet<Long> p = pending.get(e.getKey());
            long next = p == null || p.isEmpty() ? e.getValue() + 1 : p.first();
            if (next > first.get(e.getKey())) {
                out.put(e.getKey(), new OffsetAndMetadata(next));
            }
        }
        return out;
    }

    /** An asynchronous commit of these offsets failed: offer them again. */
    void uncommitted(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((tp, o) -> committed.computeIfPresent(tp, (k, v) -> v == o.offset() ? first.get(tp) : v));
    }

    /** Records that the offsets were committed. */
    void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((tp, o) -> committed.merge(tp, o.offset(), Math::max));
    }

    /** Forgets partitions this worker no longer owns. */
    void forget(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            pending.remove(tp);
            highest.remove(tp);
            committed.remove(tp);
            first.remove(tp);
        }
    }

    /** Records taken and not done, over all partitions. */
    int outstanding() {
        return pending.values().stream().mapToInt(TreeSet::size).sum();
    }
}
