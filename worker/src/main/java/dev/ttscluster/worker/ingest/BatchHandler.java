package dev.ttscluster.worker.ingest;

import dev.ttscluster.common.contract.SegmentTask;

import java.util.List;
import java.util.function.BooleanSupplier;

/** Does all the work of one micro-batch; the poll loop commits its offsets only after it returns. */
@FunctionalInterface
public interface BatchHandler {
    /**
     * Processes the batch until every effect is durable.
     *
     * @param running turns false when the worker is stopping
     * @throws dev.ttscluster.worker.SynthesisPipeline.Stopped when stopping before the batch was durable
     */
    void process(List<SegmentTask> batch, BooleanSupplier running);
}
