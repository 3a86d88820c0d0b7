package dev.ttscluster.worker.ingest;

import java.util.Collection;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the poll loop does when partitions move. Revoked (a cooperative rebalance, or this worker leaving):
 * finish what is in flight and commit it while the partitions are still ours, then forget them. Lost
 * (another worker owns them already): forget them at once; commits would fail, and in-flight effects are
 * idempotent. Runs on the polling thread, inside {@code poll}.
 */
final class PartitionRebalance implements ConsumerRebalanceListener {
    private static final Logger log = LoggerFactory.getLogger(PartitionRebalance.class);

    private final Runnable finishAndCommit;
    private final Consumer<Collection<TopicPartition>> forget;

    /**
     * @param finishAndCommit waits (bounded) for the durable steps in flight and commits synchronously
     * @param forget drops what is buffered of the partitions and forgets their offsets
     */
    PartitionRebalance(Runnable finishAndCommit, Consumer<Collection<TopicPartition>> forget) {
        this.finishAndCommit = finishAndCommit;
        this.forget = forget;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        finishAndCommit.run();
        forget.accept(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        log.info("assigned {} partitions", partitions.size());
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        forget.accept(partitions);
    }
}
