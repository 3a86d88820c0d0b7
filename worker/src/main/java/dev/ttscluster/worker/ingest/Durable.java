package dev.ttscluster.worker.ingest;

import java.util.function.BooleanSupplier;

/**
 * Work that makes a computed (or served) group of segments durable: uploads, progress. The poll loop runs
 * it on the polling thread or on a store thread, and commits the group's offsets only after it returned.
 */
@FunctionalInterface
public interface Durable {
    /** Nothing left to make durable. */
    Durable DONE = running -> {};

    /**
     * Uploads, records progress; returns only when all of it is durable.
     *
     * @param running turns false when the worker is stopping
     * @throws dev.ttscluster.worker.retry.Stopped when stopping before it was durable
     */
    void complete(BooleanSupplier running);
}
