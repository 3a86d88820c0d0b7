package dev.ttscluster.worker.inference;

import dev.ttscluster.common.error.FatalException;
import dev.ttscluster.worker.metrics.WorkerMetrics;
import dev.ttscluster.worker.retry.Retrier;
import dev.ttscluster.worker.retry.Sleeper;
import java.util.List;
import java.util.Locale;

/**
 * ONE batched model call for a batch's rows; when it throws, the bad rows are isolated and retried alone
 * ({@link RowIsolation}), pausing before each retry (the backoff, doubling, at most
 * {@value #MAX_ATTEMPT_PAUSE_MS} ms), and every other row still gets its audio. Failed calls are counted.
 * For fault-injection tests it can make every call holding a marked segment throw, as a poison segment
 * would. Not thread-safe: one thread owns the model.
 */
public final class ModelCall {
    /** Model calls a segment may fail alone before it is dead-lettered, unless configured otherwise. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    /** Longest pause between a failing segment's attempts alone. */
    static final long MAX_ATTEMPT_PAUSE_MS = 2_000;

    private final SynthesisModel model;
    private final Sleeper sleeper;
    private final long backoffMs;
    private final WorkerMetrics metrics;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private String faultMarker;

    /** @param backoffMs pause before a failing row's second attempt alone */
    public ModelCall(SynthesisModel model, Sleeper sleeper, long backoffMs, WorkerMetrics metrics) {
        this.model = model;
        this.sleeper = sleeper;
        this.backoffMs = backoffMs;
        this.metrics = metrics;
    }

    /**
     * A segment that fails alone in the model this many times is given up (at least 1).
     *
     * @return this
     * @throws IllegalArgumentException when below 1
     */
    public ModelCall withMaxAttempts(int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.maxAttempts = attempts;
        return this;
    }

    /**
     * For fault-injection tests only: every model call holding a segment whose text contains
     * {@code marker} (ignoring case) throws, as a poison segment would. Null or empty: off.
     *
     * @return this
     */
    public ModelCall withFaultInjection(String marker) {
        this.faultMarker = marker == null || marker.isEmpty() ? null : marker.toLowerCase(Locale.ROOT);
        return this;
    }

    /**
     * Synthesizes the rows.
     *
     * @return each row's audio or why it was given up, in order
     * @throws dev.ttscluster.worker.retry.Stopped when interrupted while pausing between attempts
     */
    public RowIsolation.Result run(List<SegmentWork> rows) {
        RowIsolation isolation = new RowIsolation(maxAttempts, this::pause);
        RowIsolation.Result r = isolation.run(rows, part -> {
            injectFault(part);
            return model.synthesize(part.stream().map(SegmentWork::input).toList());
        });
        if (r.failedCalls() > 0) {
            metrics.inferenceFailed(r.failedCalls());
        }
        return r;
    }

    /** Before attempt {@code n} of a failing row alone: the backoff, doubling, at most {@link #MAX_ATTEMPT_PAUSE_MS}. */
    private void pause(int n) {
        Retrier.sleep(sleeper, Math.min(MAX_ATTEMPT_PAUSE_MS, backoffMs << Math.min(n - 2, 20)));
    }

    private void injectFault(List<SegmentWork> part) {
        if (faultMarker == null) {
            return;
        }
        for (SegmentWork w : part) {
            if (w.task().text().toLowerCase(Locale.ROOT).contains(faultMarker)) {
                throw new FatalException("injected fault: segment " + w.task().recordKey() + " holds the fault marker");
            }
        }
    }
}
