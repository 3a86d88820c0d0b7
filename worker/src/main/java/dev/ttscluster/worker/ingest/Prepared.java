package dev.ttscluster.worker.ingest;

import dev.ttscluster.common.contract.SegmentTask;

/**
 * A segment made ready for batching at intake: its task, once the frontend ran its phone ids, and
 * when it was polled (for the worker's poll-to-durable latency).
 *
 * @param task the decoded segment record
 * @param phones phone ids, or null when the handler does its own frontend later
 * @param polledNanos {@link System#nanoTime()} when intake prepared it
 */
public record Prepared(SegmentTask task, long[] phones, long polledNanos) {
    /** Prepared now. */
    public Prepared(SegmentTask task, long[] phones) {
        this(task, phones, System.nanoTime());
    }

    /** Length for batching: phones when known, else characters. */
    public int tokens() {
        return phones != null ? phones.length : task.text().length();
    }
}
