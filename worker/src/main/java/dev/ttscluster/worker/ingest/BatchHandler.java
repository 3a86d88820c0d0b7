package dev.ttscluster.worker.ingest;

import dev.ttscluster.common.contract.SegmentTask;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The work of micro-batches, in two steps: the compute ({@link #process}, on the polling thread, one
 * batch at a time) and making its results durable ({@link Durable#complete}, possibly on another
 * thread while the next batch computes). The poll loop commits a batch's offsets only after its
 * durable step returned.
 */
public interface BatchHandler {
    /** Work that makes a computed batch durable. */
    @FunctionalInterface
    interface Durable {
        /**
         * Uploads, records progress; returns only when all of it is durable.
         *
         * @param running turns false when the worker is stopping
         * @throws dev.ttscluster.worker.SynthesisPipeline.Stopped when stopping before it was durable
         */
        void complete(BooleanSupplier running);
    }

    /** Nothing left to make durable. */
    Durable DONE = running -> { };

    /**
     * Prepares a segment as it arrives (e.g. runs the text frontend so its length is known for
     * batching). Called on the polling thread; must not throw for bad text.
     */
    default Prepared prepare(SegmentTask task) {
        return new Prepared(task, null);
    }

    /**
     * Computes the batch and returns what makes it durable.
     *
     * @param running turns false when the worker is stopping
     * @throws dev.ttscluster.worker.SynthesisPipeline.Stopped when stopping before the batch was computed
     */
    Durable process(List<Prepared> batch, BooleanSupplier running);
}
