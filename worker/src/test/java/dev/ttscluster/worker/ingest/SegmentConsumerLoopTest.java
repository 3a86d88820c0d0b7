package dev.ttscluster.worker.ingest;

import dev.ttscluster.common.contract.SegmentTask;
import dev.ttscluster.common.contract.Topics;
import dev.ttscluster.worker.SynthesisPipeline;
import dev.ttscluster.worker.batch.BatchPolicy;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SegmentConsumerLoopTest {
    private static final TopicPartition TP = new TopicPartition(Topics.SEGMENTS_INTERACTIVE, 0);

    /** Remembers the last committed offset of {@link #TP}, readable after the consumer is closed. */
    private volatile OffsetAndMetadata lastCommit;

    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST) {
        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            super.commitSync(offsets);
            lastCommit = offsets.get(TP);
        }
    };

    private static SegmentTask task(String job, int index, int count) {
        return new SegmentTask(SegmentTask.SCHEMA_VERSION, job, "default", index, count, "hello " + index, "default",
                1.0, 0L);
    }

    private void deliver(List<byte[]> values) {
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(TP));
            consumer.updateBeginningOffsets(Map.of(TP, 0L));
            long offset = 0;
            for (byte[] v : values) {
                consumer.addRecord(new ConsumerRecord<>(TP.topic(), TP.partition(), offset++, "k", v));
            }
        });
    }

    private OffsetAndMetadata committed() {
        return lastCommit;
    }

    @Test
    void offsetsAreCommittedOnlyAfterTheBatchIsProcessed() {
        deliver(List.of(task("j", 0, 3).encode(), task("j", 1, 3).encode(), task("j", 2, 3).encode()));
        List<OffsetAndMetadata> committedDuringProcessing = new ArrayList<>();
        List<SegmentTask> processed = new ArrayList<>();
        SegmentConsumerLoop[] loop = new SegmentConsumerLoop[1];
        loop[0] = new SegmentConsumerLoop(consumer, (batch, running) -> {
            committedDuringProcessing.add(committed());
            processed.addAll(batch);
            if (processed.size() == 3) {
                loop[0].stop();
            }
        }, new BatchPolicy(2, 0), Clock.systemUTC());

        loop[0].run();

        assertThat(processed).extracting(SegmentTask::index).containsExactly(0, 1, 2);
        assertThat(committedDuringProcessing.get(0)).isNull();
        assertThat(committedDuringProcessing.get(1).offset()).isEqualTo(2);
        assertThat(committed().offset()).isEqualTo(3);
        assertThat(consumer.closed()).isTrue();
    }

    @Test
    void aBatchInterruptedByStopIsNotCommitted() {
        deliver(List.of(task("j", 0, 1).encode()));
        SegmentConsumerLoop[] loop = new SegmentConsumerLoop[1];
        loop[0] = new SegmentConsumerLoop(consumer, (batch, running) -> {
            loop[0].stop();
            throw new SynthesisPipeline.Stopped();
        }, new BatchPolicy(4, 0), Clock.systemUTC());

        loop[0].run();

        assertThat(committed()).isNull();
        assertThat(consumer.closed()).isTrue();
    }

    @Test
    void undecodableRecordIsSkippedButItsOffsetIsCommitted() {
        deliver(List.of("not json".getBytes(StandardCharsets.UTF_8), task("j", 0, 1).encode()));
        List<SegmentTask> processed = new ArrayList<>();
        SegmentConsumerLoop[] loop = new SegmentConsumerLoop[1];
        loop[0] = new SegmentConsumerLoop(consumer, (batch, running) -> {
            processed.addAll(batch);
            loop[0].stop();
        }, new BatchPolicy(2, 0), Clock.systemUTC());

        loop[0].run();

        assertThat(processed).hasSize(1);
        assertThat(committed().offset()).isEqualTo(2);
    }
}
