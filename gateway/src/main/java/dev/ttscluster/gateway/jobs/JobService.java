package dev.ttscluster.gateway.jobs;

import dev.ttscluster.common.contract.JobStatus;
import dev.ttscluster.common.contract.SegmentTask;
import dev.ttscluster.common.contract.Topics;
import dev.ttscluster.common.error.RetriableException;
import dev.ttscluster.common.state.JobRecord;
import dev.ttscluster.common.text.Segmenter;
import dev.ttscluster.gateway.api.ApiException;
import dev.ttscluster.state.JobStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts jobs: splits text into segments, records the job, publishes one record per segment.
 * Thread-safe.
 */
public final class JobService {
    private static final Logger log = LoggerFactory.getLogger(JobService.class);
    /** Job ids are UUIDs; anything else is unknown without asking Redis. */
    private static final java.util.regex.Pattern ID =
            java.util.regex.Pattern.compile("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");

    private final JobStore store;
    private final SegmentPublisher publisher;
    private final Segmenter segmenter;
    private final Clock clock;

    public JobService(JobStore store, SegmentPublisher publisher, Segmenter segmenter, Clock clock) {
        this.store = store;
        this.publisher = publisher;
        this.segmenter = segmenter;
        this.clock = clock;
    }

    /**
     * Accepts a job for {@code tenant}.
     *
     * @throws ApiException 400 when the text has nothing speakable; 503 when Redis or Kafka is
     *     unavailable (the job is then marked failed, never left half-queued)
     */
    public JobRecord submit(String tenant, JobRequest req) {
        return submit(tenant, newId(), req);
    }

    /** A fresh job id. */
    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /**
     * Checks that the request has something to speak, before any quota is spent on it.
     *
     * @throws ApiException 400 when the text has nothing speakable
     */
    public void check(JobRequest req) {
        if (req.text().codePoints().noneMatch(Character::isLetterOrDigit)
                || segmenter.segments(req.text()).isEmpty()) {
            throw ApiException.badRequest("'text' has nothing to speak after normalization");
        }
    }

    /**
     * As {@link #submit(String, JobRequest)} with the job id chosen by the caller (a fresh {@link #newId()}).
     */
    public JobRecord submit(String tenant, String id, JobRequest req) {
        List<String> segments = segmenter.segments(req.text());
        if (segments.isEmpty()) {
            throw ApiException.badRequest("'text' has nothing to speak after normalization");
        }
        long now = clock.millis();
        int chars = segments.stream().mapToInt(String::length).sum();
        JobRecord job =
                JobRecord.queued(id, tenant, req.voice(), req.format(), req.speed(), segments.size(), chars, now);
        try {
            store.create(job);
        } catch (RetriableException e) {
            throw unavailable("job store", e);
        }
        List<SegmentTask> tasks = new ArrayList<>(segments.size());
        for (int i = 0; i < segments.size(); i++) {
            tasks.add(new SegmentTask(
                    SegmentTask.SCHEMA_VERSION,
                    id,
                    tenant,
                    i,
                    segments.size(),
                    segments.get(i),
                    req.voice(),
                    req.speed(),
                    now));
        }
        try {
            publisher.publish(Topics.SEGMENTS_INTERACTIVE, tasks);
        } catch (RetriableException e) {
            try {
                store.markFailed(id, "could not enqueue: " + e.getMessage());
            } catch (RetriableException ignored) {
                // the job record expires on its own
            }
            throw unavailable("queue", e);
        }
        log.info("job {} accepted: {} segments, {} chars, voice {}", id, segments.size(), chars, req.voice());
        return job;
    }

    /** The tenant's job, or empty when unknown (or owned by another tenant). */
    public Optional<JobRecord> find(String tenant, String id) {
        if (!ID.matcher(id).matches()) {
            return Optional.empty();
        }
        try {
            return store.get(id).filter(j -> j.tenant().equals(tenant));
        } catch (RetriableException e) {
            throw unavailable("job store", e);
        }
    }

    /**
     * Cancels a job: remaining segments are skipped by workers.
     *
     * @throws ApiException 404 unknown, 409 already final
     */
    public JobRecord cancel(String tenant, String id) {
        JobRecord job =
                find(tenant, id).orElseThrow(() -> ApiException.notFound("no job '" + JobRequest.abbreviate(id) + "'"));
        if (job.status().isFinal() || !store.cancel(id)) {
            throw new ApiException(
                    409,
                    "conflict",
                    "job is already "
                            + store.get(id).map(j -> j.status().wire()).orElse("gone"));
        }
        return store.get(id).orElse(job);
    }

    /**
     * Deletes a job of the tenant: cancels it if it still runs, removes its audio and segment objects and
     * forgets its record. A later GET answers 404.
     *
     * @throws ApiException 404 unknown, 503 when Redis or S3 is unavailable (nothing is forgotten before
     *     the objects are gone, so a retry finishes the deletion)
     */
    public void delete(String tenant, String id, dev.ttscluster.storage.AudioBucket bucket) {
        JobRecord job =
                find(tenant, id).orElseThrow(() -> ApiException.notFound("no job '" + JobRequest.abbreviate(id) + "'"));
        try {
            if (!job.status().isFinal()) {
                store.cancel(id);
            }
            int n = bucket.deletePrefix(dev.ttscluster.common.storage.ObjectKeys.jobPrefix(tenant, id));
            store.delete(id);
            log.info("job {} deleted with {} objects", id, n);
        } catch (RetriableException e) {
            throw unavailable("job store or S3", e);
        }
    }

    private static ApiException unavailable(String what, RetriableException e) {
        log.warn("{} unavailable: {}", what, e.getMessage());
        return new ApiException(503, "unavailable", what + " unavailable, try again shortly", 2);
    }

    /** True when the status means audio exists. */
    public static boolean hasAudio(JobRecord job) {
        return job.status() == JobStatus.SUCCEEDED && !job.audioKey().isEmpty();
    }
}
