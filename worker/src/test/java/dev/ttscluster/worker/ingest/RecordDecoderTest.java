package dev.ttscluster.worker.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttscluster.common.contract.SegmentTask;
import dev.ttscluster.common.contract.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class RecordDecoderTest {
    private static final SegmentTask TASK =
            new SegmentTask(SegmentTask.SCHEMA_VERSION, "job-1", "default", 0, 1, "hello", "default", 1.0, 0L);

    private static ConsumerRecord<String, byte[]> record(byte[] value, String trace) {
        RecordHeaders headers = new RecordHeaders();
        if (trace != null) {
            headers.add(Topics.TRACE_HEADER, trace.getBytes(StandardCharsets.UTF_8));
        }
        return new ConsumerRecord<>(
                Topics.SEGMENTS_INTERACTIVE,
                0,
                7,
                0L,
                TimestampType.CREATE_TIME,
                -1,
                -1,
                "k",
                value,
                headers,
                Optional.empty());
    }

    private final RecordDecoder decoder = new RecordDecoder(task -> new Prepared(task, new long[] {1, 2, 3}));

    @Test
    void aRecordIsPreparedByTheIntakeAndTracedByItsHeader() {
        Prepared p = decoder.decode(record(TASK.encode(), "trace-9"));

        assertThat(p.task()).isEqualTo(TASK);
        assertThat(p.tokens()).isEqualTo(3);
        assertThat(p.traceId()).isEqualTo("trace-9");
    }

    @Test
    void aRecordWithoutATraceHeaderIsTracedByItsJob() {
        assertThat(decoder.decode(record(TASK.encode(), null)).traceId()).isEqualTo("job-1");
    }

    @Test
    void aRecordThatIsNotASegmentIsSkipped() {
        assertThat(decoder.decode(record("not json".getBytes(StandardCharsets.UTF_8), null)))
                .isNull();
    }
}
