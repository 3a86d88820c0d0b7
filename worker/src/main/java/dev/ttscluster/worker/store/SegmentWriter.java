package dev.ttscluster.worker.store;

import dev.ttscluster.common.audio.Wav;
import dev.ttscluster.common.contract.SegmentTask;
import dev.ttscluster.common.state.SegmentMark;
import dev.ttscluster.common.storage.ObjectKeys;
import dev.ttscluster.state.JobStore;
import dev.ttscluster.storage.AudioBucket;

/**
 * Stores a synthesized segment: uploads its WAV under the segment's deterministic key, then records
 * it in the job's progress. In that order, so a counted segment always has its object. A job of one
 * segment has nothing to join: its segment goes straight to the job's audio key (one upload instead of
 * upload, download, upload). Idempotent: a redelivered segment overwrites the same object and is not
 * counted again. Thread-safe.
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
     * The object key a segment is stored under; a plain job of one segment has nothing to join, so its
     * segment is the job's audio (a book's chapter is always assembled: pauses, loudness, timestamps).
     */
    public static String key(SegmentTask task, String format) {
        return task.count() == 1 && !task.inBook()
                ? ObjectKeys.audioOf(task, format)
                : ObjectKeys.segmentOf(task, task.index());
    }

    /**
     * Encodes and uploads a segment's audio; returns the bytes.
     *
     * @throws dev.ttscluster.common.error.RetriableException when S3 is unavailable
     */
    public byte[] upload(SegmentTask task, float[] samples) {
        byte[] wav = Wav.encode(samples, samples.length, sampleRate);
        bucket.put(key(task, "wav"), wav, "audio/wav");
        return wav;
    }

    /**
     * Counts the segment in its job's progress, only after its upload; {@code cached} records that its
     * audio came from the cache rather than the model.
     *
     * @throws dev.ttscluster.common.error.RetriableException when Redis is unavailable
     */
    public SegmentMark count(SegmentTask task, long samples, boolean cached) {
        return jobs.markSegmentDone(task.jobId(), task.index(), samples, cached);
    }
}
