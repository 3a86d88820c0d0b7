package dev.ttscluster.worker.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttscluster.common.contract.Topics;
import java.util.List;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class LaneThrottleTest {
    private static final TopicPartition INTERACTIVE = new TopicPartition(Topics.SEGMENTS_INTERACTIVE, 0);
    private static final TopicPartition BULK_0 = new TopicPartition(Topics.SEGMENTS_BULK, 0);
    private static final TopicPartition BULK_1 = new TopicPartition(Topics.SEGMENTS_BULK, 1);

    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
    private final LaneThrottle throttle = new LaneThrottle(consumer);

    @Test
    void bulkPartitionsPauseWhileEnoughBulkWorkIsBufferedAndResumeOnlyWhenItRanLow() {
        consumer.assign(List.of(INTERACTIVE, BULK_0, BULK_1));

        throttle.adjust(LaneThrottle.BULK_BUFFERED);
        assertThat(consumer.paused()).containsExactlyInAnyOrder(BULK_0, BULK_1);

        throttle.adjust(LaneThrottle.BULK_BUFFERED / 2); // below the pause mark, not yet low
        assertThat(consumer.paused()).containsExactlyInAnyOrder(BULK_0, BULK_1);

        throttle.adjust(LaneThrottle.BULK_BUFFERED / 2 - 1);
        assertThat(consumer.paused()).isEmpty();
    }

    @Test
    void interactivePartitionsAreNeverPaused() {
        consumer.assign(List.of(INTERACTIVE));

        throttle.adjust(10 * LaneThrottle.BULK_BUFFERED);

        assertThat(consumer.paused()).isEmpty();
    }
}
