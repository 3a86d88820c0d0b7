package dev.ttscluster.worker.ingest;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Computes one micro-batch and returns what makes it durable: the compute runs on the polling thread, one
 * batch at a time; the returned {@link Durable} may run on a store thread while the next batch computes.
 * The worker's is {@code inference.BatchRunner}.
 */
@FunctionalInterface
public interface BatchProcessor {
    /**
     * Computes the batch and returns what makes it durable.
     *
     * @param running turns false when the worker is stopping
     * @throws dev.ttscluster.worker.retry.Stopped when stopping before the batch was computed
     */
    Durable process(List<Prepared> batch, BooleanSupplier running);
}
