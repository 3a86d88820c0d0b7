package dev.ttscluster.worker;

import dev.ttscluster.common.contract.JobStatus;
import dev.ttscluster.common.contract.SegmentTask;
import dev.ttscluster.common.error.FatalException;
import dev.ttscluster.common.error.RetriableException;
import dev.ttscluster.common.state.JobStore;
import dev.ttscluster.common.state.SegmentMark;
import dev.ttscluster.common.text.Phonemizer;
import dev.ttscluster.worker.assembly.JobAssembler;
import dev.ttscluster.worker.cache.CacheKey;
import dev.ttscluster.worker.cache.CachedAudio;
import dev.ttscluster.worker.cache.SegmentCache;
import dev.ttscluster.worker.inference.SynthesisInput;
import dev.ttscluster.worker.inference.SynthesisModel;
import dev.ttscluster.worker.inference.SynthesisOutput;
import dev.ttscluster.worker.ingest.BatchHandler;
import dev.ttscluster.worker.ingest.Prepared;
import dev.ttscluster.worker.metrics.WorkerMetrics;
import dev.ttscluster.worker.store.SegmentWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * The work of one micro-batch: the frontend at intake ({@link #prepare}), then skip segments of
 * finished jobs and ONE batched model call ({@link #process}, on the polling thread), then the durable
 * step it returns: upload each segment (several at once when configured), count it, assemble jobs
 * whose last segment landed. The durable step may run on another thread while the next batch
 * computes; the caller commits offsets only after it returned. {@link #process} is not thread-safe
 * (one thread owns the model); durable steps are.
 *
 * <p>Retriable faults (Redis, S3) are retried with backoff for as long as {@code running} holds;
 * nothing is recomputed on retry. A stop request lets a healthy batch finish; only a batch stuck
 * on a failing server is abandoned (uncommitted, so it is redelivered). A batch the model rejects is
 * re-run row by row so that one poison segment fails only its own job (and goes to the dead-letter
 * sink).
 */
public final class SynthesisPipeline implements BatchHandler {
    private static final Logger log = LoggerFactory.getLogger(SynthesisPipeline.class);

    /** Receives segments that failed for good. */
    @FunctionalInterface
    public interface DeadLetters {
        void send(SegmentTask task, String reason);
    }

    /** Thrown when the worker is stopping in the middle of a batch: nothing may be committed. */
    public static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Stopped() {
            super("stopping", null, false, false);
        }
    }

    private final SynthesisModel model;
    private final Phonemizer phonemizer;
    private final JobStore jobs;
    private final SegmentWriter writer;
    private final JobAssembler assembler;
    private final DeadLetters deadLetters;
    private final Sleeper sleeper;
    private final long backoffMs;
    private final WorkerMetrics metrics;
    private final ExecutorService uploads;
    private SegmentCache cache;

    /** Sleeps between retries; injected so tests never sleep. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long ms) throws InterruptedException;
    }

    /**
     * @param uploadThreads segments of one batch uploaded at once (1: one after another)
     */
    public SynthesisPipeline(SynthesisModel model, Phonemizer phonemizer, JobStore jobs, SegmentWriter writer,
                             JobAssembler assembler, DeadLetters deadLetters, Sleeper sleeper, long backoffMs,
                             WorkerMetrics metrics, int uploadThreads) {
        this.model = model;
        this.phonemizer = phonemizer;
        this.jobs = jobs;
        this.writer = writer;
        this.assembler = assembler;
        this.deadLetters = deadLetters;
        this.sleeper = sleeper;
        this.backoffMs = backoffMs;
        this.metrics = metrics;
        this.uploads = uploadThreads <= 1 ? null : Executors.newFixedThreadPool(uploadThreads, r -> {
            Thread t = new Thread(r, "upload");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Serves segments whose audio is already in {@code cache} without the model, and stores what the
     * model makes there; null turns the cache off (per-request serving).
     */
    public SynthesisPipeline withCache(SegmentCache cache) {
        this.cache = cache;
        return this;
    }

    /** Runs the text frontend as the segment arrives, so the batcher knows its length in phones. */
    @Override
    public Prepared prepare(SegmentTask task) {
        return new Prepared(task, phonemizer.ids(task.text()));
    }

    /**
     * Computes the batch (skips segments of finished jobs, ONE batched model call) and returns the
     * step that uploads each segment, counts it and assembles jobs whose last segment landed.
     *
     * @throws Stopped when {@code running} turned false while Redis was failing
     */
    @Override
    public Durable process(List<Prepared> batch, BooleanSupplier running) {
        Map<String, JobStatus> status = retry(() -> jobs.statuses(batch.stream().map(p -> p.task().jobId()).distinct()
                .toList()), running);
        List<SegmentTask> live = new ArrayList<>();
        List<SynthesisInput> rows = new ArrayList<>();
        for (Prepared p : batch) {
            SegmentTask t = p.task();
            JobStatus s = status.get(t.jobId());
            if (s == null || s.isFinal()) {
                continue; // expired, deleted, cancelled or failed: nothing to do
            }
            int speaker = model.manifest().speakerId(t.voice());
            if (speaker < 0) {
                fail(t, "voice '" + t.voice() + "' is not in model " + model.manifest().name(), running);
                continue;
            }
            live.add(t);
            rows.add(new SynthesisInput(p.phones() != null ? p.phones() : phonemizer.ids(t.text()), speaker,
                    (float) t.speed()));
        }
        if (live.isEmpty()) {
            return DONE;
        }
        // the cache first (one round trip for the whole batch), then ONE model call for the misses only
        List<String> keys = new ArrayList<>(rows.size());
        List<CachedAudio> cached = null;
        if (cache != null) {
            for (SynthesisInput in : rows) {
                keys.add(CacheKey.of(model.manifest().version(), in.speaker(), in.speed(), in.phones()));
            }
            cached = cache.lookup(keys);
        }
        List<SegmentTask> missTasks = new ArrayList<>();
        List<SynthesisInput> missRows = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (cached == null || cached.get(i) == null) {
                missTasks.add(live.get(i));
                missRows.add(rows.get(i));
            }
        }
        List<SynthesisOutput> made = List.of();
        double inferSeconds = 0;
        if (!missRows.isEmpty()) {
            long t0 = System.nanoTime();
            made = infer(missTasks, missRows, running);
            inferSeconds = (System.nanoTime() - t0) / 1e9;
        }
        List<SynthesisOutput> outs = new ArrayList<>(rows.size());
        Map<String, CachedAudio> fresh = new java.util.HashMap<>();
        int m = 0;
        for (int i = 0; i < rows.size(); i++) {
            if (cached != null && cached.get(i) != null) {
                outs.add(new SynthesisOutput(cached.get(i).samples(), cached.get(i).durations()));
                continue;
            }
            SynthesisOutput o = made.get(m++);
            outs.add(o);
            if (o != null && cache != null) {
                fresh.put(keys.get(i), new CachedAudio(o.samples(), o.durations()));
            }
        }
        long samples = 0;
        for (SynthesisOutput o : made) {
            samples += o == null ? 0 : o.samples().length;
        }
        double audio = samples / (double) model.manifest().sampleRate();
        if (!missRows.isEmpty()) {
            metrics.inferred(inferSeconds, audio);
        }
        if (log.isDebugEnabled()) {
            log.debug("batch of {} rows ({} from the cache): inference {} ms, {} s of audio", live.size(),
                    live.size() - missRows.size(), Math.round(inferSeconds * 1000), String.format("%.2f", audio));
        }
        SegmentCache c = cache;
        return r -> {
            if (c != null) {
                c.store(fresh); // never fails the batch: the cache is optional
            }
            store(live, outs, r);
        };
    }

    /** Uploads and counts every segment (in parallel when configured), then assembles finished jobs. */
    private void store(List<SegmentTask> live, List<SynthesisOutput> outs, BooleanSupplier running) {
        Map<String, Map<Integer, byte[]>> uploaded = new ConcurrentHashMap<>();
        List<Runnable> writes = new ArrayList<>();
        for (int i = 0; i < live.size(); i++) {
            SynthesisOutput o = outs.get(i);
            if (o == null) {
                continue;
            }
            SegmentTask task = live.get(i);
            writes.add(() -> {
                byte[] wav = retry(() -> writer.upload(task, o.samples()), running);
                Map<Integer, byte[]> mine = uploaded.computeIfAbsent(task.jobId(), k -> new ConcurrentHashMap<>());
                mine.put(task.index(), wav); // before counting: whoever counts last may join from memory
                SegmentMark mark = retry(() -> writer.count(task, o.samples().length), running);
                if (mark.readyToAssemble()) {
                    retry(() -> assembler.assemble(task, mine), running);
                }
            });
        }
        runAll(writes);
    }

    private void runAll(List<Runnable> work) {
        if (uploads == null || work.size() == 1) {
            work.forEach(Runnable::run);
            return;
        }
        List<Future<?>> futures = new ArrayList<>(work.size());
        for (Runnable r : work) {
            futures.add(uploads.submit(r));
        }
        RuntimeException first = null;
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
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

    /** One batched call; if the model rejects the batch, row by row so only bad rows fail. */
    private List<SynthesisOutput> infer(List<SegmentTask> tasks, List<SynthesisInput> rows, BooleanSupplier running) {
        try {
            return model.synthesize(rows);
        } catch (FatalException | IllegalArgumentException | IllegalStateException e) {
            if (rows.size() == 1) {
                fail(tasks.get(0), "synthesis failed: " + e.getMessage(), running);
                List<SynthesisOutput> none = new ArrayList<>();
                none.add(null);
                return none;
            }
            log.warn("batch of {} rejected ({}); retrying row by row", rows.size(), e.getMessage());
            List<SynthesisOutput> out = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                out.add(infer(List.of(tasks.get(i)), List.of(rows.get(i)), running).get(0));
            }
            return out;
        }
    }

    private void fail(SegmentTask t, String reason, BooleanSupplier running) {
        log.warn("job {} segment {} failed: {}", t.jobId(), t.index(), reason);
        retry(() -> {
            deadLetters.send(t, reason);
            return jobs.markFailed(t.jobId(), reason);
        }, running);
    }

    private <T> T retry(java.util.function.Supplier<T> op, BooleanSupplier running) {
        long wait = backoffMs;
        while (true) {
            try {
                return op.get();
            } catch (RetriableException e) {
                if (!running.getAsBoolean()) {
                    throw new Stopped();
                }
                log.warn("retrying in {} ms: {}", wait, e.getMessage());
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new Stopped();
                }
                wait = Math.min(wait * 2, 10_000);
            }
        }
    }
}
