package dev.ttscluster.worker.store;

import dev.ttscluster.common.audio.Wav;
import dev.ttscluster.common.contract.SegmentTask;
import dev.ttscluster.common.state.JobStore;
import dev.ttscluster.common.state.SegmentMark;
import dev.ttscluster.common.storage.AudioBucket;
import dev.ttscluster.common.storage.ObjectKeys;

/**
 * Stores a synthesized segment: uploads its WAV under the segment's deterministic key, then records
 * it in the job's progress. In that order, so a counted segment always has its object. Idempotent:
 * a redelivered segment overwrites the same object and is not counted again. Thread-safe.
 */
public final class SegmentWriter {
    private final AudioBucket bucket;
    private final JobStore jobs;
    private final int sampleRate;

    public SegmentWriter(AudioBucket bucket, JobStore jobs, int sampleRate) {
        this.bucket = bucket;
        this.jobs = jobs;
        this.sampleRate = sampleRate;
    }

    /**
     * Uploads and counts one segment.
     *
     * @throws dev.ttscluster.common.error.RetriableException when S3 or Redis is unavailable
     */
    public SegmentMark write(SegmentTask task, float[] samples) {
        byte[] wav = Wav.encode(samples, samples.length, sampleRate);
        bucket.put(ObjectKeys.segment(task.tenant(), task.jobId(), task.index()), wav, "audio/wav");
        return jobs.markSegmentDone(task.jobId(), task.index(), samples.length);
    }
}
