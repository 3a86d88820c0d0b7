package dev.ttscluster.worker.retry;

/**
 * Thrown when the worker is stopping in the middle of a batch (a retry gave up because the worker no
 * longer runs, or a waiting thread was interrupted): nothing of that batch may be committed, so it is
 * redelivered. Carries no stack trace: it is expected.
 */
public final class Stopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Stopped() {
        super("stopping", null, false, false);
    }
}
