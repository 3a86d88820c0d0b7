package dev.ttscluster.worker.logging;

/**
 * A piece of work that names its job and trace, so {@link LogContext} can put both on the log lines
 * written while it runs. Implementations are immutable values.
 */
public interface Traced {
    /** The job the work belongs to. */
    String jobId();

    /** The trace id its log lines carry (the job id when the record had none). */
    String traceId();
}
