package dev.ttscluster.gateway.events;

import dev.ttscluster.common.contract.Json;
import dev.ttscluster.common.contract.JobStatus;
import dev.ttscluster.common.error.RetriableException;
import dev.ttscluster.common.state.JobRecord;
import dev.ttscluster.common.state.JobStore;
import dev.ttscluster.common.storage.AudioBucket;
import dev.ttscluster.gateway.api.ApiException;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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
 * outage keeps the stream open (heartbeats continue) and it catches up when Redis answers. Thread-safe.
 */
public final class JobEventStreams implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JobEventStreams.class);

    private final JobStore store;
    private final AudioBucket bucket;
    private final Duration presignTtl;
    private final EventsConfig cfg;
    private final Semaphore permits;
    private final ScheduledExecutorService timer;
    private final Set<Stream> open = ConcurrentHashMap.newKeySet();

    public JobEventStreams(JobStore store, AudioBucket bucket, Duration presignTtl, EventsConfig cfg) {
        this.store = store;
        this.bucket = bucket;
        this.presignTtl = presignTtl;
        this.cfg = cfg;
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
            throw new ApiException(503, "unavailable", "this gateway has its most event streams open; try again shortly", 5);
        }
        Stream s;
        try {
            int resume = 0;
            String last = ctx.header("Last-Event-ID");
            if (last != null && last.trim().matches("[0-9]{1,9}")) {
                resume = Math.min(Integer.parseInt(last.trim()), job.segments());
            }
            ctx.status(200);
            ctx.res().setContentType("text/event-stream; charset=utf-8");
            ctx.res().setHeader("Cache-Control", "no-cache");
            ctx.res().setHeader("X-Accel-Buffering", "no");
            s = new Stream(job.id(), resume, ctx.res().getOutputStream());
        } catch (IOException | RuntimeException e) {
            permits.release();
            throw e instanceof RuntimeException r ? r : new java.io.UncheckedIOException((IOException) e);
        }
        ctx.future(() -> {
            open.add(s);
            s.task = timer.scheduleWithFixedDelay(s::tick, 0, cfg.ssePollMs(), TimeUnit.MILLISECONDS);
            return s.finished;
        });
    }

    /** Ends every open stream (the gateway stops; clients reconnect to another with Last-Event-ID). */
    @Override
    public void close() {
        for (Stream s : open) {
            s.end();
        }
        timer.shutdownNow();
    }

    private final class Stream {
        final String id;
        final OutputStream out;
        final CompletableFuture<Void> finished = new CompletableFuture<>();
        final AtomicBoolean ended = new AtomicBoolean();
        volatile ScheduledFuture<?> task;
        int nextSegment;
        String lastStatus;
        int lastDone = -1;
        long lastWriteNanos = System.nanoTime();

        Stream(String id, int nextSegment, OutputStream out) {
            this.id = id;
            this.nextSegment = nextSegment;
            this.out = out;
        }

        synchronized void tick() {
            if (ended.get()) {
                ScheduledFuture<?> t = task;
                if (t != null) {
                    t.cancel(false);
                }
                return;
            }
            try {
                Optional<JobRecord> current = store.get(id);
                if (current.isEmpty()) {
                    send("state", Map.of("status", "gone"), null);
                    end();
                    return;
                }
                JobRecord j = current.get();
                boolean fin = j.status().isFinal();
                if (!fin && !j.status().wire().equals(lastStatus)) {
                    send("state", Map.of("status", j.status().wire()), null);
                }
                lastStatus = j.status().wire();
                int done = j.status() == JobStatus.SUCCEEDED ? j.segments() : j.done();
                if (done != lastDone || fin) {
                    if (nextSegment < j.segments()) {
                        long[] samples = store.segmentSamples(id, j.segments());
                        while (nextSegment < j.segments() && samples[nextSegment] >= 0) {
                            Map<String, Object> seg = new LinkedHashMap<>();
                            seg.put("index", nextSegment);
                            seg.put("samples", samples[nextSegment]);
                            send("segment", seg, Integer.toString(nextSegment + 1));
                            nextSegment++;
                        }
                    }
                    if (done != lastDone) {
                        Map<String, Object> p = new LinkedHashMap<>();
                        p.put("segments_done", done);
                        p.put("segments", j.segments());
                        p.put("progress", j.progress());
                        send("progress", p, null);
                        lastDone = done;
                    }
                }
                if (fin) {
                    send("state", finalState(j), null);
                    end();
                    return;
                }
                if (System.nanoTime() - lastWriteNanos >= TimeUnit.SECONDS.toNanos(cfg.sseHeartbeatSeconds())) {
                    write(": keep-alive\n\n");
                }
            } catch (RetriableException e) {
                log.debug("event stream of job {}: {}", id, e.getMessage()); // next tick tries again
                heartbeatQuietly();
            } catch (IOException e) {
                end(); // the client went away
            } catch (RuntimeException e) {
                log.warn("event stream of job {} failed", id, e);
                end();
            }
        }

        private void heartbeatQuietly() {
            if (System.nanoTime() - lastWriteNanos >= TimeUnit.SECONDS.toNanos(cfg.sseHeartbeatSeconds())) {
                try {
                    write(": keep-alive\n\n");
                } catch (IOException e) {
                    end();
                }
            }
        }

        private Map<String, Object> finalState(JobRecord j) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", j.status().wire());
            if (j.status() == JobStatus.SUCCEEDED && !j.audioKey().isEmpty()) {
                m.put("audio_url", bucket.presignGet(j.audioKey(), presignTtl));
                m.put("audio_seconds", j.sampleRate() == 0 ? null : j.audioSamples() / (double) j.sampleRate());
            }
            if (!j.error().isEmpty()) {
                m.put("error", j.error());
            }
            return m;
        }

        private void send(String event, Object data, String eventId) throws IOException {
            StringBuilder b = new StringBuilder();
            if (eventId != null) {
                b.append("id: ").append(eventId).append('\n');
            }
            b.append("event: ").append(event).append('\n');
            b.append("data: ").append(Json.MAPPER.writeValueAsString(data)).append("\n\n");
            write(b.toString());
        }

        private void write(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.UTF_8));
            out.flush();
            lastWriteNanos = System.nanoTime();
        }

        void end() {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            ScheduledFuture<?> t = task;
            if (t != null) {
                t.cancel(false);
            }
            open.remove(this);
            permits.release();
            finished.complete(null);
        }
    }
}
