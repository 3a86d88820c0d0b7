package dev.ttscluster.worker.store;

import dev.ttscluster.common.contract.SegmentTask;
import dev.ttscluster.state.JobStore;
import dev.ttscluster.worker.logging.LogContext;
import dev.ttscluster.worker.metrics.WorkerMetrics;
import dev.ttscluster.worker.retry.Retrier;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives up on a segment: sends it to the dead-letter sink with the reason, then fails its job (and its
 * book) with the same reason. Both calls are retried while the worker runs. Thread-safe.
 */
public final class JobFailures {
    private static final Logger log = LoggerFactory.getLogger(JobFailures.class);

    private final DeadLetters deadLetters;
    private final JobStore jobs;
    private final Retrier retrier;
    private final WorkerMetrics metrics;

    public JobFailures(DeadLetters deadLetters, JobStore jobs, Retrier retrier, WorkerMetrics metrics) {
        this.deadLetters = deadLetters;
        this.jobs = jobs;
        this.retrier = retrier;
        this.metrics = metrics;
    }

    /**
     * Dead-letters the segment, then fails its job (and its book) with the same reason.
     *
     * @param traceId the trace its log lines carry
     * @param attempts model calls in which it ran alone and failed (0: it never reached the model)
     * @throws dev.ttscluster.worker.retry.Stopped when the worker stops while the sink or Redis fails
     */
    public void fail(SegmentTask task, String traceId, String reason, int attempts, BooleanSupplier running) {
        try (LogContext c = LogContext.job(task.jobId(), traceId)) {
            log.warn("job {} segment {} failed: {}", task.jobId(), task.index(), reason);
            retrier.run(() -> deadLetters.send(task, reason, attempts), running);
            metrics.deadLettered();
            retrier.call(
                    () -> {
                        if (task.inBook()) {
                            jobs.books().markFailed(task.book(), "chapter " + task.chapter() + " failed: " + reason);
                        }
                        return jobs.markFailed(task.jobId(), reason);
                    },
                    running);
        }
    }
}
