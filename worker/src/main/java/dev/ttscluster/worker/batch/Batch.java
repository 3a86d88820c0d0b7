package dev.ttscluster.worker.batch;

import java.util.List;

/**
 * A closed micro-batch.
 *
 * @param items the items; items of one group (job) keep their arrival order
 * @param waitedMs time from the oldest item's arrival to the batch closing
 * @param reason what closed it
 * @param paddedTokens rows x longest row, in tokens
 * @param realTokens tokens of all rows together
 * @param <T> item type
 */
public record Batch<T>(List<T> items, long waitedMs, CloseReason reason, long paddedTokens, long realTokens) {
    /** What closed a batch. */
    public enum CloseReason {
        /** It reached the policy's maximum size. */
        SIZE,
        /** One more item would have passed the padded-token budget. */
        BUDGET,
        /** The window since its oldest item ran out. */
        WINDOW,
        /** The worker is stopping. */
        STOPPED
    }

    public Batch(List<T> items, long waitedMs, CloseReason reason) {
        this(items, waitedMs, reason, 0, 0);
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    /** Share of padded slots that are padding, 0..1. */
    public double paddingRatio() {
        return paddedTokens == 0 ? 0.0 : 1.0 - realTokens / (double) paddedTokens;
    }
}
