package dev.ttscluster.gateway.events;

import dev.ttscluster.common.state.JobRecord;
import dev.ttscluster.gateway.api.ApiException;
import dev.ttscluster.state.JobStore;
import dev.ttscluster.storage.AudioBucket;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /v1/jobs/{id}/events}: a job's progress as Server-Sent Events ({@code text/event-stream}).
 *
 * <p>Events: {@code state} when the status changes ({@code {"status": ...}}), {@code progress}
 * ({@code {"segments_done", "segments", "progress"}}) when more segments are done, {@code segment}
 * ({@code {"index", "samples"}}, event id {@code index + 1}) for each finished segment <em>in index order</em> (a
 * segment is announced once every segment before it is done, the order a player consumes them), and last a
 * final {@code state} event ({@code succeeded} with {@code audio_url} and {@code audio_seconds}, {@code failed}
 * with {@code error}, or {@code cancelled}; {@code gone} when the job was deleted or expired), after which
 * the server closes the stream. A reconnect with {@code Last-Event-ID: n} resumes after segment {@code n - 1}
 * without repeating the segments already sent.
 *
 * <p>How: each open stream reads its job's hash (and, when the done count moved, the per-segment samples
 * hash) every {@code TTS_GATEWAY_SSE_POLL_MS} on a small shared timer, through the same {@link JobStore} the
 * job view uses. Polling was chosen over Redis keyspace notifications: it needs no server configuration
 * ({@code notify-keyspace-events}), survives a Redis restart without resubscribing, and costs one HGETALL per
 * stream per interval, bounded by {@code TTS_GATEWAY_SSE_MAX_STREAMS} (more get 503). A comment line is sent
 * after {@code TTS_GATEWAY_SSE_HEARTBEAT_SECONDS} of silence, which also finds clients that went away. A Redis
 * outage keeps the stream open (heartbeats continue) and it catches up when Redis answers. One stream's work is
 * {@link JobEventStream}. Thread-safe.
 */
public final class JobEventStreams implements AutoCloseable {
    private final JobProgress progress;
    private final AudioBucket bucket;
    private final Duration presignTtl;
    private final EventsConfig cfg;
    private final Clock clock;
    private final Semaphore permits;
    private final ScheduledExecutorService timer;
    private final Set<JobEventStream> open = ConcurrentHashMap.newKeySet();

    /** Streams of the jobs in {@code store}, on the system clock. */
    public JobEventStreams(JobStore store, AudioBucket bucket, Duration presignTtl, EventsConfig cfg) {
        this(
                new JobProgress() {
                    @Override
                    public java.util.Optional<JobRecord> job(String id) {
                        return store.get(id);
                    }

                    @Override
                    public long[] segmentSamples(String id, int count) {
                        return store.segmentSamples(id, count);
                    }
                },
                bucket,
                presignTtl,
                cfg,
                Clock.systemUTC());
    }

    /**
     * @param progress what the streams read of their jobs
     * @param bucket signs the final state's {@code audio_url}
     * @param clock measures the heartbeat's silence
     */
    public JobEventStreams(
            JobProgress progress, AudioBucket bucket, Duration presignTtl, EventsConfig cfg, Clock clock) {
        this.progress = progress;
        this.bucket = bucket;
        this.presignTtl = presignTtl;
        this.cfg = cfg;
        this.clock = clock;
        this.permits = new Semaphore(cfg.sseMaxStreams());
        this.timer = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "job-events");
            t.setDaemon(true);
            return t;
        });
    }

    /** Streams open now. */
    public int openStreams() {
        return open.size();
    }

    /**
     * Answers the request with the event stream of {@code job}, which the caller owns (checked before).
     *
     * @throws ApiException 503 when this gateway has its most streams open
     */
    public void open(Context ctx, JobRecord job) {
        if (!permits.tryAcquire()) {
            throw new ApiException(
                    503, "unavailable", "this gateway has its most event streams open; try again shortly", 5);
        }
        JobEventStream s;
        ScheduledFuture<?>[] task = {null};
        try {
            int resume = resumeAfter(ctx.header("Last-Event-ID"), job.segments());
            ctx.status(200);
            ctx.res().setContentType("text/event-stream; charset=utf-8");
            ctx.res().setHeader("Cache-Control", "no-cache");
            ctx.res().setHeader("X-Accel-Buffering", "no");
            CompletableFuture<Void> finished = new CompletableFuture<>();
            JobEventStream[] self = {null};
            s = new JobEventStream(
                    job.id(),
                    resume,
                    ctx.res().getOutputStream(),
                    progress,
                    key -> bucket.presignGet(key, presignTtl),
                    clock,
                    Duration.ofSeconds(cfg.sseHeartbeatSeconds()),
                    () -> {
                        ScheduledFuture<?> t = task[0];
                        if (t != null) {
                            t.cancel(false);
                        }
                        open.remove(self[0]);
                        permits.release();
                        finished.complete(null);
                    });
            self[0] = s;
            ctx.future(() -> {
                open.add(s);
                task[0] = timer.scheduleWithFixedDelay(s::tick, 0, cfg.ssePollMs(), TimeUnit.MILLISECONDS);
                if (s.ended()) {
                    task[0].cancel(false);
                }
                return finished;
            });
        } catch (IOException e) {
            permits.release();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /** The first segment to announce: after a reconnect's {@code Last-Event-ID: n}, segment n; else 0. */
    static int resumeAfter(String lastEventId, int segments) {
        if (lastEventId != null && lastEventId.trim().matches("[0-9]{1,9}")) {
            return Math.min(Integer.parseInt(lastEventId.trim()), segments);
        }
        return 0;
    }

    /** Ends every open stream (the gateway stops; clients reconnect to another with Last-Event-ID). */
    @Override
    public void close() {
        for (JobEventStream s : open) {
            s.end();
        }
        timer.shutdownNow();
    }
}
