package dev.ttscluster.worker.store;

import dev.ttscluster.common.contract.JobStatus;
import dev.ttscluster.common.contract.SegmentTask;
import dev.ttscluster.common.state.SegmentMark;
import dev.ttscluster.state.JobStore;
import dev.ttscluster.worker.assembly.JobAssembler;
import dev.ttscluster.worker.assembly.WordTimings;
import dev.ttscluster.worker.frontend.Phonemizer;
import dev.ttscluster.worker.logging.LogContext;
import dev.ttscluster.worker.metrics.WorkerMetrics;
import dev.ttscluster.worker.retry.Retrier;
import dev.ttscluster.worker.retry.Stopped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The store stage: makes segments durable. Each segment is uploaded ({@link SegmentWriter}), a book's
 * segment gets its word timings, then it is counted in its job's progress; the segment whose count completes
 * its job triggers the job's (or chapter's) assembly, joining from the bytes this worker just uploaded where
 * it can. Calls to S3 and Redis are retried while the worker runs. A batch's segments upload on the batch
 * pool of {@link UploadPools} (one after another when there is none); segments served at intake on the
 * served pool, counted only when their job is still live. Each counted segment's poll-to-durable time goes
 * to the metrics by where its audio came from. Thread-safe: several batches may be stored at once.
 */
public final class SegmentStore {
    private final SegmentWriter writer;
    private final JobAssembler assembler;
    private final JobStore jobs;
    private final Phonemizer phonemizer;
    private final int sampleRate;
    private final Retrier retrier;
    private final WorkerMetrics metrics;
    private final UploadPools pools;

    /**
     * @param phonemizer finds the words of a book's segment for its word timings
     * @param sampleRate the model's, for the word timings
     */
    public SegmentStore(
            SegmentWriter writer,
            JobAssembler assembler,
            JobStore jobs,
            Phonemizer phonemizer,
            int sampleRate,
            Retrier retrier,
            WorkerMetrics metrics,
            UploadPools pools) {
        this.writer = writer;
        this.assembler = assembler;
        this.jobs = jobs;
        this.phonemizer = phonemizer;
        this.sampleRate = sampleRate;
        this.retrier = retrier;
        this.metrics = metrics;
        this.pools = pools;
    }

    /**
     * Stores a computed batch's segments (whose jobs were live when it computed) and returns when all are durable.
     *
     * @throws Stopped when the worker stops while a server fails
     */
    public void storeBatch(List<SegmentAudio> rows, BooleanSupplier running) {
        store(rows, running, pools.batch(), id -> true);
    }

    /**
     * Stores segments served at intake: their jobs' states are read while the uploads run, and decide only
     * whether a segment is counted (a job finished meanwhile counts nothing).
     *
     * @throws Stopped when the worker stops while a server fails
     */
    public void storeServed(List<SegmentAudio> rows, BooleanSupplier running) {
        List<String> ids = rows.stream().map(SegmentAudio::jobId).distinct().toList();
        List<String> traces = rows.stream().map(SegmentAudio::traceId).toList();
        Future<Map<String, JobStatus>> status = pools.served().submit(() -> {
            try (LogContext c = LogContext.jobs(ids, traces)) {
                return retrier.call(() -> jobs.statuses(ids), running);
            }
        });
        store(rows, running, pools.served(), id -> {
            JobStatus s = await(status).get(id);
            return s != null && !s.isFinal();
        });
    }

    /**
     * Uploads and counts every segment (in parallel on {@code pool}, or one after another when it is
     * null), then assembles finished jobs; a segment whose job is not {@code live} after its upload is
     * not counted.
     */
    private void store(List<SegmentAudio> rows, BooleanSupplier running, ExecutorService pool, Predicate<String> live) {
        Map<String, Map<Integer, byte[]>> uploaded = new ConcurrentHashMap<>();
        List<Runnable> writes = new ArrayList<>();
        for (SegmentAudio row : rows) {
            writes.add(() -> {
                try (LogContext c = LogContext.of(row)) {
                    durable(row, running, live, uploaded);
                }
            });
        }
        runAll(writes, pool);
    }

    /** Uploads and counts one segment, then assembles its job when it was the last one; see {@link #store}. */
    private void durable(
            SegmentAudio row,
            BooleanSupplier running,
            Predicate<String> live,
            Map<String, Map<Integer, byte[]>> uploaded) {
        SegmentTask task = row.task();
        float[] samples = row.samples();
        boolean cached = row.source() != WorkerMetrics.Source.MODEL;
        long t0 = System.nanoTime();
        byte[] wav = retrier.call(() -> writer.upload(task, samples), running);
        metrics.uploaded((System.nanoTime() - t0) / 1e9);
        if (!live.test(task.jobId())) {
            return; // finished meanwhile (cancelled, failed, expired): nothing to count
        }
        if (task.inBook()) { // before counting: the chapter's assembly reads every segment's words
            String words = WordTimings.json(phonemizer.words(task.text()), row.durations(), samples.length, sampleRate);
            retrier.run(() -> jobs.putWords(task.jobId(), task.index(), words), running);
        }
        Map<Integer, byte[]> mine = uploaded.computeIfAbsent(task.jobId(), k -> new ConcurrentHashMap<>());
        mine.put(task.index(), wav); // before counting: whoever counts last may join from memory
        SegmentMark mark = retrier.call(() -> writer.count(task, samples.length, cached), running);
        metrics.segmentDurable(row.source(), (System.nanoTime() - row.polledNanos()) / 1e9);
        if (mark.readyToAssemble()) {
            retrier.call(() -> assembler.assemble(task, mine), running);
        }
    }

    /**
     * Runs every piece of work on {@code pool} (null: one after another here) and waits for all of it; the
     * first failure is rethrown once all ended.
     */
    private static void runAll(List<Runnable> work, ExecutorService pool) {
        if (pool == null || work.size() == 1) {
            work.forEach(Runnable::run);
            return;
        }
        List<Future<?>> futures = new ArrayList<>(work.size());
        for (Runnable r : work) {
            futures.add(pool.submit(r));
        }
        RuntimeException first = null;
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (first == null) {
                    first = unchecked(e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Stopped();
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * The future's value.
     *
     * @throws Stopped when interrupted while waiting
     */
    private static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw unchecked(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopped();
        }
    }

    /** What the work threw, unchecked. */
    private static RuntimeException unchecked(ExecutionException e) {
        return e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }
}
