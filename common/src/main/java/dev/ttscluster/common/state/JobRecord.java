package dev.ttscluster.common.state;

import dev.ttscluster.common.contract.JobStatus;

/**
 * A job's state as stored in Redis.
 *
 * @param id job id
 * @param tenant owner
 * @param status lifecycle state
 * @param voice voice name
 * @param format audio format of the result
 * @param speed speaking rate
 * @param segments number of segments
 * @param done distinct segments finished
 * @param duplicates redelivered segments that were not counted again
 * @param cached distinct segments whose audio came from the segment cache instead of the model
 * @param textChars characters of normalized text
 * @param createdMs accepted at, epoch ms
 * @param updatedMs last change, epoch ms
 * @param finishedMs reached a final state at, epoch ms (0 while not final)
 * @param firstAudioMs the first segment (index 0) was stored at, epoch ms (0 before): when a streaming
 *     client could start playing
 * @param error failure reason, or empty
 * @param audioKey object key of the joined audio once succeeded, or empty
 * @param audioSamples samples in the joined audio once succeeded
 * @param sampleRate sample rate of the audio once known
 */
public record JobRecord(
        String id,
        String tenant,
        JobStatus status,
        String voice,
        String format,
        double speed,
        int segments,
        int done,
        int duplicates,
        int cached,
        int textChars,
        long createdMs,
        long updatedMs,
        long finishedMs,
        long firstAudioMs,
        String error,
        String audioKey,
        long audioSamples,
        int sampleRate) {

    /** Fraction of distinct segments done, 0..1; 1 once succeeded. */
    public double progress() {
        if (status == JobStatus.SUCCEEDED) {
            return 1.0;
        }
        return segments == 0 ? 0.0 : Math.min(1.0, done / (double) segments);
    }

    /** A new queued job. */
    public static JobRecord queued(
            String id,
            String tenant,
            String voice,
            String format,
            double speed,
            int segments,
            int textChars,
            long nowMs) {
        return new JobRecord(
                id,
                tenant,
                JobStatus.QUEUED,
                voice,
                format,
                speed,
                segments,
                0,
                0,
                0,
                textChars,
                nowMs,
                nowMs,
                0,
                0,
                "",
                "",
                0,
                0);
    }
}
