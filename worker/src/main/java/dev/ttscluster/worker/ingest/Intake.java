package dev.ttscluster.worker.ingest;

import dev.ttscluster.common.contract.SegmentTask;
import java.util.List;

/**
 * What the poll loop asks of a segment as it arrives, on the polling thread: prepare it for batching, and
 * answer at once what needs no batch (e.g. from a cache). The worker's is {@code intake.CacheIntake};
 * {@link #PLAIN} prepares nothing and serves nothing.
 */
@FunctionalInterface
public interface Intake {
    /** Prepares nothing (the batcher measures text in characters) and serves nothing. */
    Intake PLAIN = task -> new Prepared(task, null);

    /**
     * Prepares a segment as it arrives (e.g. runs the text frontend so its length is known for
     * batching). Must not throw for bad text.
     */
    Prepared prepare(SegmentTask task);

    /**
     * Answers what it can of freshly polled segments without waiting for a batch (e.g. from a cache),
     * once per poll; the rest go on to the batcher. The default serves nothing. Must not throw because an
     * optional helper (the cache) failed.
     *
     * @param polled the segments of one poll, prepared, in arrival order
     */
    default Served serve(List<Prepared> polled) {
        return Served.none(polled.size());
    }
}
