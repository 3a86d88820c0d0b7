package dev.ttscluster.worker.ingest;

import dev.ttscluster.common.contract.SegmentTask;
import dev.ttscluster.common.error.FatalException;
import dev.ttscluster.worker.logging.LogContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes a polled record into its segment and prepares it ({@link Intake#prepare}) in its job's log context,
 * traced by the record's trace header (else its job id). A record that cannot be decoded is logged and
 * skipped. Not thread-safe only as far as the intake is not: the polling thread uses it.
 */
final class RecordDecoder {
    private static final Logger log = LoggerFactory.getLogger(RecordDecoder.class);

    private final Intake intake;

    RecordDecoder(Intake intake) {
        this.intake = intake;
    }

    /** The prepared segment; null when the record is not a segment this worker can read (never throws for it). */
    Prepared decode(ConsumerRecord<String, byte[]> r) {
        String trace = LogContext.traceOf(r.headers());
        SegmentTask task = null;
        try {
            task = SegmentTask.decode(r.value());
            try (LogContext c = LogContext.job(task.jobId(), trace)) {
                return intake.prepare(task).traced(trace);
            }
        } catch (FatalException e) {
            try (LogContext c = LogContext.job(task == null ? null : task.jobId(), trace)) {
                log.error("skipping record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
            }
            return null;
        }
    }
}
