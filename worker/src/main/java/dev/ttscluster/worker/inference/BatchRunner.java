package dev.ttscluster.worker.inference;

import dev.ttscluster.common.contract.JobStatus;
import dev.ttscluster.state.JobStore;
import dev.ttscluster.worker.cache.CachedAudio;
import dev.ttscluster.worker.cache.RecentAudio;
import dev.ttscluster.worker.cache.SegmentCache;
import dev.ttscluster.worker.ingest.BatchProcessor;
import dev.ttscluster.worker.ingest.Durable;
import dev.ttscluster.worker.ingest.Prepared;
import dev.ttscluster.worker.intake.Dedup;
import dev.ttscluster.worker.intake.SegmentKeys;
import dev.ttscluster.worker.logging.LogContext;
import dev.ttscluster.worker.metrics.WorkerMetrics;
import dev.ttscluster.worker.metrics.WorkerMetrics.Source;
import dev.ttscluster.worker.retry.Retrier;
import dev.ttscluster.worker.store.JobFailures;
import dev.ttscluster.worker.store.SegmentAudio;
import dev.ttscluster.worker.store.SegmentStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes one micro-batch, on the polling thread: skips segments of finished jobs, fails those whose voice
 * the model lacks, reuses audio this worker just made for an identical segment ({@link Dedup}), makes ONE
 * batched model call for the rest, identical rows synthesized once ({@link ModelCall}, which isolates poison
 * rows), gives up the rows the model keeps rejecting ({@link JobFailures}: dead letter, failed job; the rest
 * of those jobs' segments are not stored), and returns the durable step: the fresh audio into the shared
 * cache (never failing the batch), then the store stage ({@link SegmentStore#storeBatch}). Retriable faults
 * of Redis are retried while the worker runs; nothing is recomputed on retry. Not thread-safe (one thread
 * owns the model); the durable steps it returns are.
 */
public final class BatchRunner implements BatchProcessor {
    private static final Logger log = LoggerFactory.getLogger(BatchRunner.class);

    private final SynthesisModel model;
    private final ModelCall call;
    private final SegmentKeys keys;
    private final JobStore jobs;
    private final Retrier retrier;
    private final JobFailures failures;
    private final SegmentStore store;
    private final WorkerMetrics metrics;
    private final SegmentCache shared;
    private final Dedup dedup;

    /**
     * @param shared the cache every worker shares, fed with what the model makes; null when off
     * @param recent this worker's memory of audio it made or fetched; null when off (with {@code shared}
     *               null too, nothing is keyed nor reused)
     */
    public BatchRunner(
            SynthesisModel model,
            ModelCall call,
            SegmentKeys keys,
            JobStore jobs,
            Retrier retrier,
            JobFailures failures,
            SegmentStore store,
            WorkerMetrics metrics,
            SegmentCache shared,
            RecentAudio recent) {
        this.model = model;
        this.call = call;
        this.keys = keys;
        this.jobs = jobs;
        this.retrier = retrier;
        this.failures = failures;
        this.store = store;
        this.metrics = metrics;
        this.shared = shared;
        this.dedup = shared == null && recent == null ? null : new Dedup(recent);
    }

    /**
     * @throws dev.ttscluster.worker.retry.Stopped when {@code running} turned false while Redis was failing
     */
    @Override
    public Durable process(List<Prepared> batch, BooleanSupplier running) {
        try (LogContext c = LogContext.batch(batch)) { // the batch's jobs (and traces) on every line of its compute
            return compute(batch, running);
        }
    }

    private Durable compute(List<Prepared> batch, BooleanSupplier running) {
        List<SegmentWork> rows = admit(batch, running);
        if (rows.isEmpty()) {
            return Durable.DONE;
        }
        // audio made since intake looked (an earlier batch of this backlog, or a twin in this batch) is
        // reused; ONE model call for the rest, each distinct segment once
        List<Dedup.Decision> plan = dedup == null
                ? null
                : dedup.plan(rows.stream().map(SegmentWork::key).toList());
        List<Integer> misses = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Dedup.Decision d = plan == null ? null : plan.get(i);
            if (d == null || d.miss()) {
                misses.add(i);
            } else if (d.recent() != null) {
                rows.set(
                        i,
                        rows.get(i)
                                .withAudio(
                                        new SynthesisOutput(
                                                d.recent().samples(), d.recent().durations()),
                                        Source.REUSED));
            }
        }
        Map<String, CachedAudio> fresh = new HashMap<>();
        double inferSeconds = 0;
        long samples = 0;
        if (!misses.isEmpty()) {
            long t0 = System.nanoTime();
            RowIsolation.Result r = call.run(misses.stream().map(rows::get).toList());
            inferSeconds = (System.nanoTime() - t0) / 1e9;
            for (int k = 0; k < misses.size(); k++) {
                int i = misses.get(k);
                SynthesisOutput o = r.outputs().get(k);
                SegmentWork w = rows.get(i);
                if (o == null) {
                    rows.set(i, w.withFailure(r.failures().get(k)));
                    continue;
                }
                rows.set(i, w.withAudio(o, Source.MODEL));
                samples += o.samples().length;
                if (w.key() != null) {
                    CachedAudio a = new CachedAudio(o.samples(), o.durations());
                    fresh.put(w.key(), a);
                    dedup.remember(w.key(), a); // the next poll's intake already finds it
                }
            }
        }
        for (int i = 0; plan != null && i < rows.size(); i++) {
            if (plan.get(i).twinOf() >= 0) {
                rows.set(i, twin(rows.get(i), rows.get(plan.get(i).twinOf())));
            }
        }
        List<SegmentAudio> out = giveUpFailed(rows, running);
        double audio = samples / (double) model.manifest().sampleRate();
        if (!misses.isEmpty()) {
            metrics.inferred(inferSeconds, audio);
        }
        if (log.isDebugEnabled()) {
            log.debug(
                    "batch of {} rows ({} reused) of jobs [{}]: inference {} ms, {} s of audio",
                    rows.size(),
                    rows.size() - misses.size(),
                    LogContext.list(
                            rows.stream().map(SegmentWork::jobId).distinct().toList()),
                    Math.round(inferSeconds * 1000),
                    String.format("%.2f", audio));
        }
        SegmentCache c = shared;
        return running2 -> {
            if (c != null && !fresh.isEmpty()) {
                try (LogContext ctx = LogContext.batch(rows)) { // a batch's entries: its jobs on the cache's lines
                    c.store(fresh); // never fails the batch: the cache is optional
                }
            }
            store.storeBatch(out, running2);
        };
    }

    /**
     * The rows to compute: segments of live jobs whose voice the model has (the others fail at once, before
     * the model); segments of finished jobs (expired, deleted, cancelled or failed) are skipped.
     */
    private List<SegmentWork> admit(List<Prepared> batch, BooleanSupplier running) {
        Map<String, JobStatus> status = retrier.call(
                () -> jobs.statuses(
                        batch.stream().map(Prepared::jobId).distinct().toList()),
                running);
        List<SegmentWork> rows = new ArrayList<>();
        for (Prepared p : batch) {
            JobStatus s = status.get(p.jobId());
            if (s == null || s.isFinal()) {
                continue; // expired, deleted, cancelled or failed: nothing to do
            }
            int speaker = keys.speaker(p.task().voice());
            if (speaker < 0) {
                failures.fail(
                        p.task(),
                        p.traceId(),
                        "voice '" + p.task().voice() + "' is not in model "
                                + model.manifest().name(),
                        0,
                        running);
                continue;
            }
            SynthesisInput in =
                    new SynthesisInput(keys.phones(p), speaker, (float) p.task().speed());
            rows.add(SegmentWork.of(p, in, dedup == null ? null : keys.of(speaker, in.speed(), in.phones())));
        }
        return rows;
    }

    /** A twin takes its first row's audio, or fails with it. */
    private static SegmentWork twin(SegmentWork row, SegmentWork first) {
        if (first.audio() != null) {
            return row.withAudio(first.audio(), Source.REUSED);
        }
        RowIsolation.Failure f = first.failure();
        return row.withFailure(
                new RowIsolation.Failure(f.reason() + " (an identical segment of the same batch)", f.attempts()));
    }

    /**
     * Gives up the rows that failed (dead letter, failed job), in order, and returns the rows to store: those
     * with audio whose job had no failed row.
     */
    private List<SegmentAudio> giveUpFailed(List<SegmentWork> rows, BooleanSupplier running) {
        Set<String> failedJobs = new HashSet<>();
        for (SegmentWork w : rows) {
            if (w.failure() != null) {
                failures.fail(
                        w.task(), w.traceId(), w.failure().reason(), w.failure().attempts(), running);
                failedJobs.add(w.jobId());
            }
        }
        return rows.stream()
                .filter(w -> w.audio() != null && !failedJobs.contains(w.jobId()))
                .map(SegmentWork::toStored)
                .toList();
    }
}
