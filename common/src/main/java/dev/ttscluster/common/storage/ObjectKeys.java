package dev.ttscluster.common.storage;

/**
 * Object key layout in the audio bucket. Keys are pure functions of (tenant, job, index), so a
 * redelivered segment overwrites the same object.
 */
public final class ObjectKeys {
    private ObjectKeys() {
    }

    /** {@code tenants/{tenant}/jobs/{job}/segments/{index}.wav}, index zero-padded to 5 digits. */
    public static String segment(String tenant, String jobId, int index) {
        return jobPrefix(tenant, jobId) + "segments/" + String.format("%05d", index) + ".wav";
    }

    /** {@code tenants/{tenant}/jobs/{job}/audio.{format}}. */
    public static String jobAudio(String tenant, String jobId, String format) {
        return jobPrefix(tenant, jobId) + "audio." + format;
    }

    /** Prefix of every object of a job. */
    public static String jobPrefix(String tenant, String jobId) {
        return "tenants/" + tenant + "/jobs/" + jobId + "/";
    }
}
