package dev.ttscluster.worker.batch;

import java.util.List;

/**
 * A closed micro-batch.
 *
 * @param items the items, in arrival order
 * @param waitedMs time from the first item's arrival to the batch closing
 * @param reason what closed it
 * @param <T> item type
 */
public record Batch<T>(List<T> items, long waitedMs, CloseReason reason) {
    /** What closed a batch. */
    public enum CloseReason { SIZE, WINDOW, STOPPED }

    public boolean isEmpty() {
        return items.isEmpty();
    }
}
