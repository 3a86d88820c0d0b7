package dev.ttscluster.bench;

/**
 * One job of a load run, timed on the machine's clock (client and cluster share it here).
 *
 * @param kind short or long
 * @param submitMs the client started sending the request, epoch ms
 * @param firstAudioMs segment 0 was stored (fetchable), epoch ms; 0 if never
 * @param finishedMs the job reached a final state, epoch ms; 0 if it did not in time
 * @param status final status, or "timeout"/"rejected"
 * @param audioSeconds audio length once succeeded
 * @param segments segments of the job (0 when unknown)
 * @param segmentsCached segments whose audio came from the segment cache
 */
public record JobSample(
        Workload.Kind kind,
        long submitMs,
        long firstAudioMs,
        long finishedMs,
        String status,
        double audioSeconds,
        int segments,
        int segmentsCached) {
    /** A job that never got a final state or was refused. */
    static JobSample unfinished(Workload.Kind kind, long submitMs, String status) {
        return new JobSample(kind, submitMs, 0, 0, status, 0, 0, 0);
    }

    /** Seconds from the first submission of {@code samples} to the last finish of one that succeeded (at least 1 ms). */
    static double spanSeconds(java.util.List<JobSample> samples) {
        long first = samples.stream().mapToLong(JobSample::submitMs).min().orElse(0);
        long last = samples.stream()
                .filter(JobSample::succeeded)
                .mapToLong(JobSample::finishedMs)
                .max()
                .orElse(first);
        return Math.max(1e-3, (last - first) / 1000.0);
    }

    /** Audio produced by those of {@code samples} that succeeded, in seconds. */
    static double audioSeconds(java.util.List<JobSample> samples) {
        return samples.stream()
                .filter(JobSample::succeeded)
                .mapToDouble(JobSample::audioSeconds)
                .sum();
    }

    public boolean succeeded() {
        return "succeeded".equals(status);
    }

    /** Submit to the whole job's audio being ready, in seconds. */
    public double latency() {
        return (finishedMs - submitMs) / 1000.0;
    }

    /** Submit to the first segment's audio being fetchable, in seconds. */
    public double firstAudio() {
        return (firstAudioMs - submitMs) / 1000.0;
    }
}
