package dev.ttscluster.common.state;

/**
 * Outcome of recording a finished segment.
 *
 * @param counted true if this segment was counted now; false if it had been counted before (a redelivery)
 * @param done distinct segments finished so far
 * @param total segments of the job; 0 when the job is unknown (expired or deleted)
 * @param jobFinal true when the job was already succeeded, failed or cancelled
 */
public record SegmentMark(boolean counted, int done, int total, boolean jobFinal) {
    /** True when every segment is done and the job still needs its audio assembled. */
    public boolean readyToAssemble() {
        return total > 0 && done >= total && !jobFinal;
    }
}
