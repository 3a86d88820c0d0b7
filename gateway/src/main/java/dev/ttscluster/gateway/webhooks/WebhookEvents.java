package dev.ttscluster.gateway.webhooks;

import dev.ttscluster.common.contract.JobStatus;
import dev.ttscluster.common.state.JobRecord;
import dev.ttscluster.state.BookStore;
import dev.ttscluster.state.JobStore;
import dev.ttscluster.storage.AudioBucket;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The event a callback announces, read from the job-state store: {@code job.<status>} or {@code book.<status>}
 * with the work's outcome and presigned URLs. Thread-safe.
 */
final class WebhookEvents implements WebhookScheduler.Events {
    private final JobStore jobs;
    private final BookStore books;
    private final AudioBucket bucket;
    private final Duration presignTtl;

    WebhookEvents(JobStore jobs, AudioBucket bucket, Duration presignTtl) {
        this.jobs = jobs;
        this.books = jobs.books();
        this.bucket = bucket;
        this.presignTtl = presignTtl;
    }

    @Override
    public Map<String, Object> of(String kind, String id) {
        return kind.equals("job") ? job(id) : book(id);
    }

    private Map<String, Object> job(String id) {
        Optional<JobRecord> o = jobs.get(id);
        if (o.isEmpty()) {
            return null;
        }
        JobRecord j = o.get();
        Map<String, Object> m = new LinkedHashMap<>();
        if (!j.status().isFinal()) {
            return m;
        }
        m.put("type", "job." + j.status().wire());
        m.put("id", id);
        m.put("status", j.status().wire());
        m.put("segments", j.segments());
        if (j.status() == JobStatus.SUCCEEDED && !j.audioKey().isEmpty()) {
            m.put("audio_url", bucket.presignGet(j.audioKey(), presignTtl));
            m.put("audio_seconds", j.sampleRate() == 0 ? null : j.audioSamples() / (double) j.sampleRate());
        }
        if (!j.error().isEmpty()) {
            m.put("error", j.error());
        }
        m.put("created_at", Instant.ofEpochMilli(j.createdMs()).toString());
        m.put(
                "finished_at",
                j.finishedMs() == 0
                        ? null
                        : Instant.ofEpochMilli(j.finishedMs()).toString());
        return m;
    }

    private Map<String, Object> book(String id) {
        Optional<BookStore.Book> o = books.get(id);
        if (o.isEmpty()) {
            return null;
        }
        BookStore.Book b = o.get();
        Map<String, Object> m = new LinkedHashMap<>();
        if (!b.status().isFinal()) {
            return m;
        }
        m.put("type", "book." + b.status().wire());
        m.put("id", id);
        m.put("status", b.status().wire());
        m.put("chapters_total", b.chapterJobs().size());
        if (!b.manifestKey().isEmpty()) {
            m.put("manifest_url", bucket.presignGet(b.manifestKey(), presignTtl));
        }
        if (!b.error().isEmpty()) {
            m.put("error", b.error());
        }
        m.put(
                "finished_at",
                b.finishedMs() == 0
                        ? null
                        : Instant.ofEpochMilli(b.finishedMs()).toString());
        return m;
    }
}
