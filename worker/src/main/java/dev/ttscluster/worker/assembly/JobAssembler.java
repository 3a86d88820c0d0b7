package dev.ttscluster.worker.assembly;

import dev.ttscluster.common.audio.Wav;
import dev.ttscluster.common.contract.SegmentTask;
import dev.ttscluster.common.error.RetriableException;
import dev.ttscluster.common.state.JobStore;
import dev.ttscluster.common.storage.AudioBucket;
import dev.ttscluster.common.storage.ObjectKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Joins a job's segments, in order, into its audio object and marks the job succeeded. Idempotent:
 * running it twice writes the same bytes to the same key and counts the job once. Thread-safe.
 */
public final class JobAssembler {
    private static final Logger log = LoggerFactory.getLogger(JobAssembler.class);
    private final AudioBucket bucket;
    private final JobStore jobs;
    private final int sampleRate;

    public JobAssembler(AudioBucket bucket, JobStore jobs, int sampleRate) {
        this.bucket = bucket;
        this.jobs = jobs;
        this.sampleRate = sampleRate;
    }

    /**
     * Assembles the job that {@code task} belongs to (all its segments must be stored).
     *
     * @return true if this call moved the job to succeeded
     * @throws RetriableException when S3 or Redis is unavailable, or a segment object is missing
     */
    public boolean assemble(SegmentTask task) {
        List<byte[]> parts = new ArrayList<>(task.count());
        for (int i = 0; i < task.count(); i++) {
            String key = ObjectKeys.segment(task.tenant(), task.jobId(), i);
            int index = i;
            parts.add(bucket.get(key).orElseThrow(() -> new RetriableException(
                    "segment " + index + " of job " + task.jobId() + " is counted but its object is missing")));
        }
        byte[] joined = Wav.join(parts, sampleRate);
        String key = ObjectKeys.jobAudio(task.tenant(), task.jobId(), "wav");
        bucket.put(key, joined, "audio/wav");
        long samples = Wav.parse(joined).samples();
        boolean first = jobs.markSucceeded(task.jobId(), key, samples, sampleRate);
        if (first) {
            log.info("job {} succeeded: {} segments, {} s of audio", task.jobId(), task.count(),
                    String.format("%.2f", samples / (double) sampleRate));
        }
        return first;
    }
}
