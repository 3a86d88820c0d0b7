package dev.ttscluster.worker.commit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttscluster.common.contract.Topics;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OffsetCommitterTest {
    private static final TopicPartition TP = new TopicPartition(Topics.SEGMENTS_INTERACTIVE, 0);

    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
    private final OffsetCommitter committer = new OffsetCommitter(consumer);

    @BeforeEach
    void assign() {
        consumer.assign(List.of(TP));
    }

    private OffsetAndMetadata committed() {
        return consumer.committed(Set.of(TP)).get(TP);
    }

    @Test
    void aCommitNeverPassesARecordWhoseEffectsAreNotDurable() {
        committer.taken(TP, 0);
        committer.taken(TP, 1);
        committer.taken(TP, 2);
        committer.done(TP, 1);
        committer.done(TP, 2);

        committer.commitSync();
        assertThat(committed()).isNull();

        committer.done(TP, 0);
        committer.commitSync();
        assertThat(committed().offset()).isEqualTo(3);
    }

    @Test
    void anAsynchronousCommitSendsWhatAdvanced() {
        committer.taken(TP, 5);
        committer.taken(TP, 6);
        committer.done(TP, 5);

        committer.commitAsync();

        assertThat(committed().offset()).isEqualTo(6);
    }

    @Test
    void aForgottenPartitionIsNotCommitted() {
        committer.taken(TP, 0);
        committer.done(TP, 0);
        committer.forget(List.of(TP));

        committer.commitSync();

        assertThat(committed()).isNull();
    }
}
