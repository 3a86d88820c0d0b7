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
     * What {@link #serve} took: which of the polled segments it answered without a batch, and the
     * step that makes them durable.
     *
     * @param taken one flag per polled segment, true where served
     * @param durable uploads and progress of the served ones
     */
    record Served(boolean[] taken, Durable durable) {
        /** Nothing served. */
        public static Served none(int polled) {
            return new Served(new boolean[polled], DONE);
        }

        /** How many were served. */
        public int count() {
            int n = 0;
            for (boolean t : taken) {
                n += t ? 1 : 0;
            }
            return n;
        }
    }

    /**
     * Answers what it can of freshly polled segments without waiting for a batch (e.g. from a cache),
     * once per poll on the polling thread; the rest go on to the batcher. The default serves nothing.
     * Must not throw because an optional helper (the cache) failed.
     *
     * @param polled the segments of one poll, prepared, in arrival order
     */
    default Served serve(List<Prepared> polled) {
        return Served.none(polled.size());
    }

    /**
     * Computes the batch and returns what makes it durable.
     *
     * @param running turns false when the worker is stopping
     * @throws dev.ttscluster.worker.SynthesisPipeline.Stopped when stopping before the batch was computed
     */
    Durable process(List<Prepared> batch, BooleanSupplier running);
}
