package dev.ttscluster.worker.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ttscluster.common.contract.SegmentTask;
import dev.ttscluster.common.contract.Topics;
import dev.ttscluster.common.error.RetriableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class DeadLetterTopicTest {
    private static final SegmentTask TASK =
            new SegmentTask(SegmentTask.SCHEMA_VERSION, "job-1", "default", 4, 9, "a bad sentence", "default", 1.0, 0L);

    @Test
    void theSegmentsOwnRecordGoesToTheDeadLetterTopicWithWhyWhoseAndByWhom() {
        MockProducer<String, byte[]> producer =
                new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());

        new DeadLetterTopic(producer, "worker-7", Duration.ofSeconds(1))
                .send(TASK, "synthesis failed after 3 attempts: bad row", 3);

        assertThat(producer.history()).hasSize(1);
        ProducerRecord<String, byte[]> r = producer.history().get(0);
        assertThat(r.topic()).isEqualTo(Topics.SEGMENTS_DEAD_LETTER);
        assertThat(r.key()).isEqualTo(TASK.recordKey());
        assertThat(SegmentTask.decode(r.value())).isEqualTo(TASK);
        Map<String, String> headers = new HashMap<>();
        for (Header h : r.headers()) {
            headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
        }
        assertThat(headers)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        DeadLetterTopic.REASON, "synthesis failed after 3 attempts: bad row",
                        DeadLetterTopic.JOB_ID, "job-1",
                        DeadLetterTopic.SEGMENT_INDEX, "4",
                        DeadLetterTopic.ATTEMPTS, "3",
                        DeadLetterTopic.WORKER_ID, "worker-7"));
    }

    @Test
    void aBrokerThatDoesNotAcknowledgeIsARetriableFailure() {
        MockProducer<String, byte[]> producer =
                new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
        DeadLetterTopic topic = new DeadLetterTopic(producer, "worker-7", Duration.ofMillis(50));

        assertThatThrownBy(() -> topic.send(TASK, "why", 1))
                .isInstanceOf(RetriableException.class)
                .hasMessageContaining("dead-letter topic unavailable");
    }
}
