package dev.ttscluster.worker.assembly;

import dev.ttscluster.common.audio.Wav;
import dev.ttscluster.common.contract.SegmentTask;
import dev.ttscluster.common.error.Dependency;
import dev.ttscluster.common.error.RetriableException;
import dev.ttscluster.common.storage.ObjectKeys;
import dev.ttscluster.state.JobStore;
import dev.ttscluster.storage.AudioBucket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins a job's segments, in order, into its audio object and marks the job succeeded; a book's chapter
 * goes to the {@link ChapterAssembler} (pauses, loudness, timestamps, the book's manifest). Segments this
 * worker still holds in memory (same batch) are not downloaded again; a one-segment job's audio is
 * already in place (the store stage uploads it under the job's audio key). Idempotent: running it twice writes the same bytes to the
 * same key and counts the job once. Thread-safe.
 */
public final class JobAssembler {
    private static final Logger log = LoggerFactory.getLogger(JobAssembler.class);
    private final AudioBucket bucket;
    private final JobStore jobs;
    private final int sampleRate;
    private final ChapterAssembler chapters;

    public JobAssembler(AudioBucket bucket, JobStore jobs, int sampleRate) {
        this.bucket = bucket;
        this.jobs = jobs;
        this.sampleRate = sampleRate;
        this.chapters = new ChapterAssembler(bucket, jobs, sampleRate);
    }

    /** Assembles from S3 alone. */
    public boolean assemble(SegmentTask task) {
        return assemble(task, Map.of());
    }

    /**
     * Assembles the job that {@code task} belongs to (all its segments must be stored).
     *
     * @param known WAV bytes of segments by index that this worker just uploaded
     * @return true if this call moved the job to succeeded
     * @throws RetriableException when S3 or Redis is unavailable, or a segment object is missing
     */
    public boolean assemble(SegmentTask task, Map<Integer, byte[]> known) {
        if (task.inBook()) {
            return chapters.assemble(task, known);
        }
        String key = ObjectKeys.jobAudio(task.tenant(), task.jobId(), "wav");
        long samples;
        if (task.count() == 1) {
            byte[] only = known.get(0);
            if (only == null) {
                only = bucket.get(key)
                        .orElseThrow(() -> new RetriableException(
                                Dependency.S3, "job " + task.jobId() + " is counted but its audio object is missing"));
            }
            samples = Wav.parse(only).samples();
        } else {
            List<byte[]> parts = new ArrayList<>(task.count());
            for (int i = 0; i < task.count(); i++) {
                byte[] b = known.get(i);
                if (b == null) {
                    int index = i;
                    b = bucket.get(ObjectKeys.segment(task.tenant(), task.jobId(), i))
                            .orElseThrow(() -> new RetriableException(
                                    Dependency.S3,
                                    "segment " + index + " of job " + task.jobId()
                                            + " is counted but its object is missing"));
                }
                parts.add(b);
            }
            byte[] joined = Wav.join(parts, sampleRate);
            bucket.put(key, joined, "audio/wav");
            samples = Wav.parse(joined).samples();
        }
        boolean first = jobs.markSucceeded(task.jobId(), key, samples, sampleRate);
        if (first && log.isDebugEnabled()) {
            log.debug(
                    "job {} succeeded: {} segments, {} s of audio",
                    task.jobId(),
                    task.count(),
                    String.format("%.2f", samples / (double) sampleRate));
        }
        return first;
    }
}
