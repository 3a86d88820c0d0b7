package dev.ttscluster.worker.store;

import dev.ttscluster.common.contract.SegmentTask;

/** Receives segments that failed for good ({@link DeadLetterTopic} in production). Implementations are thread-safe. */
@FunctionalInterface
public interface DeadLetters {
    /**
     * @param reason why, as the job's error says it
     * @param attempts model calls in which the segment ran alone and failed (0: it never reached the model)
     * @throws dev.ttscluster.common.error.RetriableException when the sink is unavailable (retried while the worker runs)
     */
    void send(SegmentTask task, String reason, int attempts);
}
