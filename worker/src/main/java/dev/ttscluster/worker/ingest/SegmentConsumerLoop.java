package dev.ttscluster.worker.ingest;

import dev.ttscluster.common.contract.SegmentTask;
import dev.ttscluster.common.contract.Topics;
import dev.ttscluster.common.error.FatalException;
import dev.ttscluster.worker.SynthesisPipeline;
import dev.ttscluster.worker.batch.Batch;
import dev.ttscluster.worker.batch.BatchAggregator;
import dev.ttscluster.worker.batch.BatchPolicy;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The worker's poll loop: one thread owns the consumer, gathers micro-batches, hands each to the
 * pipeline and commits the batch's offsets only after the pipeline returned (its uploads are
 * durable): at-least-once delivery with idempotent effects. Another thread stops it with
 * {@link #stop()}: the in-flight batch is finished and committed, then the consumer leaves the group.
 */
public final class SegmentConsumerLoop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(SegmentConsumerLoop.class);

    private final Consumer<String, byte[]> consumer;
    private final BatchHandler pipeline;
    private final BatchAggregator<ConsumerRecord<String, byte[]>> aggregator;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile long batches;
    private volatile long segments;

    public SegmentConsumerLoop(Consumer<String, byte[]> consumer, BatchHandler pipeline, BatchPolicy policy,
                               Clock clock) {
        this.consumer = consumer;
        this.pipeline = pipeline;
        this.aggregator = new BatchAggregator<>(timeout -> {
            List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            consumer.poll(timeout).forEach(out::add);
            return out;
        }, policy, clock);
    }

    @Override
    public void run() {
        consumer.subscribe(List.of(Topics.SEGMENTS_INTERACTIVE), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                aggregator.drop(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                log.info("assigned {} partitions", partitions.size());
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                onPartitionsRevoked(partitions);
            }
        });
        try {
            while (running.get()) {
                try {
                    runOnce();
                } catch (WakeupException | SynthesisPipeline.Stopped e) {
                    // stop() was called: leave the loop without committing the interrupted batch
                } catch (KafkaException e) {
                    log.warn("Kafka error, continuing: {}", e.getMessage());
                }
            }
        } finally {
            try {
                consumer.close();
            } catch (RuntimeException e) {
                log.warn("closing consumer: {}", e.getMessage());
            }
            log.info("poll loop stopped after {} batches, {} segments", batches, segments);
        }
    }

    private void runOnce() {
        Batch<ConsumerRecord<String, byte[]>> batch = aggregator.next(running::get);
        if (batch.isEmpty()) {
            return;
        }
        List<SegmentTask> tasks = new ArrayList<>(batch.items().size());
        for (ConsumerRecord<String, byte[]> r : batch.items()) {
            try {
                tasks.add(SegmentTask.decode(r.value()));
            } catch (FatalException e) {
                log.error("skipping record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
            }
        }
        pipeline.process(tasks, running::get);
        commit(batch.items());
        batches++;
        segments += tasks.size();
    }

    private void commit(List<ConsumerRecord<String, byte[]>> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            offsets.merge(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        try {
            consumer.commitSync(offsets);
        } catch (CommitFailedException | org.apache.kafka.common.errors.RebalanceInProgressException e) {
            log.warn("commit refused after a rebalance; the batch may be redelivered (harmless): {}", e.getMessage());
        }
    }

    /**
     * Stops the loop from another thread. The in-flight batch finishes and is committed; polls are
     * short (at most the batch window or 200 ms), so {@link #run()} returns soon after. The consumer
     * is deliberately not woken up: a wakeup would make the in-flight batch's commit fail.
     */
    public void stop() {
        running.set(false);
    }

    /** Batches processed so far. */
    public long batches() {
        return batches;
    }
}
