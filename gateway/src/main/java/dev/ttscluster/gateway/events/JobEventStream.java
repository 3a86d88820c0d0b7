package dev.ttscluster.gateway.events;

import dev.ttscluster.common.contract.JobStatus;
import dev.ttscluster.common.contract.Json;
import dev.ttscluster.common.error.RetriableException;
import dev.ttscluster.common.state.JobRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open event stream of one job: each {@link #tick()} reads the job and writes what changed since the last
 * one (the events {@link JobEventStreams} describes) to the client's output, or a comment line after the
 * heartbeat's silence on the injected clock. Ends itself after the final state, when the job is gone, when the
 * client went away or on an unexpected fault; a Redis outage only skips the tick. Thread-safe: ticks are
 * serialized, and {@link #end()} never waits for one.
 */
final class JobEventStream {
    private static final Logger log = LoggerFactory.getLogger(JobEventStream.class);

    private final String id;
    private final OutputStream out;
    private final JobProgress progress;
    private final Function<String, String> audioUrl;
    private final Clock clock;
    private final long heartbeatMs;
    private final Runnable onEnd;
    private final AtomicBoolean ended = new AtomicBoolean();
    private int nextSegment;
    private String lastStatus;
    private int lastDone = -1;
    private long lastWriteMs;

    /**
     * @param nextSegment the first segment to announce (a reconnect's Last-Event-ID)
     * @param audioUrl the presigned URL of an audio object key
     * @param heartbeat silence after which a comment line is sent
     * @param onEnd run once when the stream ends
     */
    JobEventStream(
            String id,
            int nextSegment,
            OutputStream out,
            JobProgress progress,
            Function<String, String> audioUrl,
            Clock clock,
            Duration heartbeat,
            Runnable onEnd) {
        this.id = id;
        this.nextSegment = nextSegment;
        this.out = out;
        this.progress = progress;
        this.audioUrl = audioUrl;
        this.clock = clock;
        this.heartbeatMs = heartbeat.toMillis();
        this.onEnd = onEnd;
        this.lastWriteMs = clock.millis();
    }

    /** Whether the stream has ended. */
    boolean ended() {
        return ended.get();
    }

    /** Reads the job once and writes what changed; never throws. */
    synchronized void tick() {
        if (ended.get()) {
            return;
        }
        try {
            Optional<JobRecord> current = progress.job(id);
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
                announceSegments(j);
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
            heartbeatIfSilent();
        } catch (RetriableException e) {
            log.debug("event stream of job {}: {}", id, e.getMessage()); // next tick tries again
            try {
                heartbeatIfSilent();
            } catch (IOException gone) {
                end();
            }
        } catch (IOException e) {
            end(); // the client went away
        } catch (RuntimeException e) {
            log.warn("event stream of job {} failed", id, e);
            end();
        }
    }

    /** Every segment done after those announced, in index order, stopping at the first one not done. */
    private void announceSegments(JobRecord j) throws IOException {
        if (nextSegment >= j.segments()) {
            return;
        }
        long[] samples = progress.segmentSamples(id, j.segments());
        while (nextSegment < j.segments() && samples[nextSegment] >= 0) {
            Map<String, Object> seg = new LinkedHashMap<>();
            seg.put("index", nextSegment);
            seg.put("samples", samples[nextSegment]);
            send("segment", seg, Integer.toString(nextSegment + 1));
            nextSegment++;
        }
    }

    private void heartbeatIfSilent() throws IOException {
        if (clock.millis() - lastWriteMs >= heartbeatMs) {
            write(": keep-alive\n\n");
        }
    }

    private Map<String, Object> finalState(JobRecord j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", j.status().wire());
        if (j.status() == JobStatus.SUCCEEDED && !j.audioKey().isEmpty()) {
            m.put("audio_url", audioUrl.apply(j.audioKey()));
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
        lastWriteMs = clock.millis();
    }

    /** Ends the stream (idempotent, from any thread, without waiting for a tick): the next ticks do nothing. */
    void end() {
        if (ended.compareAndSet(false, true)) {
            onEnd.run();
        }
    }
}
