package dev.ttscluster.worker.ingest;

import dev.ttscluster.common.contract.Topics;

/**
 * The two kinds of segment traffic, each on its own topic: interactive jobs, and bulk (books). Each lane
 * is batched under its own policy and stored on its own thread, so a book never delays an interactive job.
 * {@link #index()} is the lane's number in the batcher, which numbers lanes rather than naming them.
 */
enum Lane {
    INTERACTIVE(Topics.SEGMENTS_INTERACTIVE),
    BULK(Topics.SEGMENTS_BULK);

    private final String topic;

    Lane(String topic) {
        this.topic = topic;
    }

    /** The lane of a record from {@code topic} (interactive unless it is the bulk topic). */
    static Lane of(String topic) {
        return BULK.topic.equals(topic) ? BULK : INTERACTIVE;
    }

    /** The lane the batcher numbers {@code index}. */
    static Lane ofIndex(int index) {
        return values()[index];
    }

    /** Its number in the batcher. */
    int index() {
        return ordinal();
    }

    /** Its topic. */
    String topic() {
        return topic;
    }
}
