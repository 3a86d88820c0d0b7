package dev.ttscluster.worker.batch;

/**
 * When a micro-batch closes: at {@code maxSize} items, or {@code windowMs} after its first item
 * arrived, whichever comes first. Immutable.
 *
 * @param maxSize most items in a batch, at least 1
 * @param windowMs longest wait for more items after the first, at least 0
 */
public record BatchPolicy(int maxSize, long windowMs) {
    public BatchPolicy {
        if (maxSize < 1) {
            throw new IllegalArgumentException("maxSize must be at least 1");
        }
        if (windowMs < 0) {
            throw new IllegalArgumentException("windowMs must not be negative");
        }
    }

    /** One item per batch, no waiting: per-request serving. */
    public static BatchPolicy perRequest() {
        return new BatchPolicy(1, 0);
    }
}
