package dev.ttscluster.gateway.events;

import dev.ttscluster.common.state.JobRecord;
import java.util.Optional;

/**
 * What an event stream reads of its job: the job-state store in the gateway, a fake in tests.
 * Implementations are thread-safe.
 */
public interface JobProgress {
    /**
     * The job's record now, or empty when it is gone (deleted or expired).
     *
     * @throws dev.ttscluster.common.error.RetriableException when the store cannot be reached
     */
    Optional<JobRecord> job(String id);

    /**
     * Samples of each of the job's {@code count} segments, -1 for a segment not done yet.
     *
     * @throws dev.ttscluster.common.error.RetriableException when the store cannot be reached
     */
    long[] segmentSamples(String id, int count);
}
