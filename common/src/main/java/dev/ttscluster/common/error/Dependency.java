package dev.ttscluster.common.error;

import java.util.Locale;

/**
 * The backing server a {@link RetriableException} came from. Metrics and HTTP error mapping read it from
 * the exception's type, never from its message.
 */
public enum Dependency {
    /** The job-state Redis: job and book records, progress, keys, quotas, webhooks. */
    REDIS,
    /** The object store (S3 or MinIO): segment and job audio, book files. */
    S3,
    /** The Kafka cluster: segment topics, the dead-letter topic, topic administration. */
    KAFKA;

    /** The name used as a metric label: {@code redis}, {@code s3} or {@code kafka}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
