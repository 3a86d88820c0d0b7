package dev.ttscluster.worker.ingest;

import dev.ttscluster.common.contract.SegmentTask;
import dev.ttscluster.worker.logging.Traced;

/**
 * A segment made ready for batching at intake: its task, once the frontend ran its phone ids, when it
 * was polled (for the worker's poll-to-durable latency) and the trace id its log lines carry. Immutable
 * (the phone array is not copied: nobody writes it).
 *
 * @param task the decoded segment record
 * @param phones phone ids, or null when the handler does its own frontend later
 * @param polledNanos {@link System#nanoTime()} when intake prepared it
 * @param traceId the record's trace id ({@link dev.ttscluster.common.contract.Topics#TRACE_HEADER}); the job id
 *                when it had none (null or blank given)
 */
public record Prepared(SegmentTask task, long[] phones, long polledNanos, String traceId) implements Traced {
    public Prepared {
        if (traceId == null || traceId.isBlank()) {
            traceId = task.jobId();
        }
    }

    /** Traced by its job id. */
    public Prepared(SegmentTask task, long[] phones, long polledNanos) {
        this(task, phones, polledNanos, null);
    }

    /** Prepared now, traced by its job id. */
    public Prepared(SegmentTask task, long[] phones) {
        this(task, phones, System.nanoTime());
    }

    /** The same segment traced by {@code trace} (null: its job id). */
    public Prepared traced(String trace) {
        return new Prepared(task, phones, polledNanos, trace);
    }

    /** Length for batching: phones when known, else characters. */
    public int tokens() {
        return phones != null ? phones.length : task.text().length();
    }

    @Override
    public String jobId() {
        return task.jobId();
    }
}
