package dev.ttscluster.gateway.api;

import dev.ttscluster.common.contract.JobStatus;
import dev.ttscluster.common.state.JobRecord;
import dev.ttscluster.gateway.jobs.JobService;
import dev.ttscluster.gateway.webhooks.Webhooks;
import dev.ttscluster.storage.AudioBucket;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON view of a job ({@code GET /v1/jobs/{id}} and the answers of submit and cancel): status, progress,
 * timestamps, and once it succeeded its audio length and a presigned URL. Thread-safe.
 */
final class JobViews {
    private final AudioBucket bucket;
    private final Duration presignTtl;
    private final Webhooks webhooks;

    /** @param webhooks null when webhooks are off */
    JobViews(AudioBucket bucket, Duration presignTtl, Webhooks webhooks) {
        this.bucket = bucket;
        this.presignTtl = presignTtl;
        this.webhooks = webhooks;
    }

    /**
     * The view of {@code j}.
     *
     * @throws dev.ttscluster.common.error.RetriableException when the webhook record cannot be read
     */
    Map<String, Object> of(JobRecord j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id());
        m.put("status", j.status().wire());
        m.put("progress", j.progress());
        m.put("segments", j.segments());
        m.put("segments_done", j.status() == JobStatus.SUCCEEDED ? j.segments() : j.done());
        m.put("segments_cached", j.cached());
        m.put("voice", j.voice());
        m.put("format", j.format());
        m.put("speed", j.speed());
        m.put("created_at", Instant.ofEpochMilli(j.createdMs()).toString());
        m.put("updated_at", Instant.ofEpochMilli(j.updatedMs()).toString());
        m.put("finished_at", Views.instant(j.finishedMs()));
        m.put("first_audio_at", Views.instant(j.firstAudioMs()));
        m.put("error", Views.text(j.error()));
        boolean audio = JobService.hasAudio(j);
        m.put("audio_seconds", audio ? Views.seconds(j.audioSamples(), j.sampleRate()) : null);
        m.put("audio_url", audio ? bucket.presignGet(j.audioKey(), presignTtl) : null);
        m.put("webhook", Views.webhook(webhooks, "job", j.id()));
        return m;
    }
}
