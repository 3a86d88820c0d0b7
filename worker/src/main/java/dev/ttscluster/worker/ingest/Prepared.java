package dev.ttscluster.worker.ingest;

import dev.ttscluster.common.contract.SegmentTask;

/**
 * A segment made ready for batching at intake: its task and, once the frontend ran, its phone ids.
 *
 * @param task the decoded segment record
 * @param phones phone ids, or null when the handler does its own frontend later
 */
public record Prepared(SegmentTask task, long[] phones) {
    /** Length for batching: phones when known, else characters. */
    public int tokens() {
        return phones != null ? phones.length : task.text().length();
    }
}
