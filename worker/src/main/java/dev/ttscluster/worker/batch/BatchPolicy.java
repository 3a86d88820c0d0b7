package dev.ttscluster.worker.batch;

/**
 * When a micro-batch closes, whichever comes first: it holds {@code maxSize} items; one more item
 * would push its padded size (rows x longest row, in tokens) past {@code maxPaddedTokens}; or
 * {@code windowMs} have passed since its oldest item arrived. Immutable.
 *
 * <p>A single item longer than the whole budget still forms a batch on its own: the budget bounds
 * batches, it never refuses work.
 *
 * @param maxSize most items in a batch, at least 1
 * @param maxPaddedTokens most padded tokens (rows x longest) in a batch, at least 1
 * @param windowMs longest wait for more items after the oldest one arrived, at least 0
 * @param groupByLength pick items of similar length from what is buffered, to cut padding
 */
public record BatchPolicy(int maxSize, int maxPaddedTokens, long windowMs, boolean groupByLength) {
    public BatchPolicy {
        if (maxSize < 1) {
            throw new IllegalArgumentException("maxSize must be at least 1");
        }
        if (maxPaddedTokens < 1) {
            throw new IllegalArgumentException("maxPaddedTokens must be at least 1");
        }
        if (windowMs < 0) {
            throw new IllegalArgumentException("windowMs must not be negative");
        }
    }

    /** Size and window only: no token budget, no length grouping. */
    public BatchPolicy(int maxSize, long windowMs) {
        this(maxSize, Integer.MAX_VALUE, windowMs, false);
    }

    /** One item per batch, no waiting: per-request serving. */
    public static BatchPolicy perRequest() {
        return new BatchPolicy(1, Integer.MAX_VALUE, 0, false);
    }

    /** True when {@code rows} rows whose longest has {@code longest} tokens fit the budget. */
    public boolean fits(int rows, int longest) {
        return rows <= maxSize && (long) rows * longest <= maxPaddedTokens;
    }

    @Override
    public String toString() {
        return "max " + maxSize + " items, "
                + (maxPaddedTokens == Integer.MAX_VALUE ? "no token budget" : maxPaddedTokens + " padded tokens")
                + ", window " + windowMs + " ms"
                + (groupByLength ? ", grouped by length" : "");
    }
}
