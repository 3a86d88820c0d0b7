package dev.ttscluster.worker.commit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    @Test
    void commitsStopAtTheLowestRecordNotYetDone() {
        OffsetTracker t = new OffsetTracker();
        for (long o = 10; o < 15; o++) {
            t.taken(P0, o);
        }
        t.done(P0, 12);
        t.done(P0, 13);
        assertThat(t.advance()).as("10 is not done: nothing to commit yet").isEmpty();
        t.done(P0, 10);
        t.done(P0, 11);
        Map<TopicPartition, OffsetAndMetadata> next = t.advance();
        assertThat(next).containsEntry(P0, new OffsetAndMetadata(14));
        t.committed(next);
        t.done(P0, 14);
        assertThat(t.advance()).containsEntry(P0, new OffsetAndMetadata(15));
        assertThat(t.outstanding()).isZero();
    }

    @Test
    void onlyPartitionsThatMovedAreCommittedAndForgottenOnesNever() {
        OffsetTracker t = new OffsetTracker();
        t.taken(P0, 0);
        t.taken(P1, 0);
        t.done(P0, 0);
        t.done(P1, 0);
        t.committed(t.advance());
        t.taken(P1, 1);
        t.done(P1, 1);
        assertThat(t.advance()).containsOnlyKeys(P1);
        t.taken(P0, 1);
        t.forget(List.of(P0));
        assertThat(t.advance()).doesNotContainKey(P0);
    }
}
