package dev.ttscluster.worker;

import dev.ttscluster.common.contract.JobStatus;
import dev.ttscluster.common.contract.SegmentTask;
import dev.ttscluster.common.error.FatalException;
import dev.ttscluster.common.error.RetriableException;
import dev.ttscluster.common.state.JobStore;
import dev.ttscluster.common.state.SegmentMark;
import dev.ttscluster.common.text.Phonemizer;
import dev.ttscluster.worker.assembly.JobAssembler;
import dev.ttscluster.worker.assembly.WordTimings;
import dev.ttscluster.worker.cache.CacheKey;
import dev.ttscluster.worker.cache.CachedAudio;
import dev.ttscluster.worker.cache.RecentAudio;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

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
    private final ExecutorService servedUploads;
    /**
     * Segments served at intake uploaded at once, whatever {@code uploadThreads} says: a served segment's
     * latency is its upload, and uploads one after another would add up.
     */
    static final int SERVED_UPLOAD_THREADS = 4;
    private SegmentCache cache;
    private RecentAudio recent;

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
        this.uploads = uploadThreads <= 1 ? null : pool("upload", uploadThreads);
        this.servedUploads = pool("serve-upload", SERVED_UPLOAD_THREADS);
    }

    private static ExecutorService pool(String name, int threads) {
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Serves segments whose audio is already cached without the model, and caches what the model
     * makes: {@code recent} in this worker's memory (checked first, and again when a batch is computed),
     * then {@code shared} in Redis for every worker. Either may be null; both null turns caching off
     * (per-request serving).
     */
    public SynthesisPipeline withCache(SegmentCache shared, RecentAudio recent) {
        this.cache = shared;
        this.recent = recent;
        return this;
    }

    /** Runs the text frontend as the segment arrives, so the batcher knows its length in phones. */
    @Override
    public Prepared prepare(SegmentTask task) {
        return new Prepared(task, phonemizer.ids(task.text()));
    }

    /**
     * Looks the polled segments up in the cache (this worker's memory, then ONE round trip to the
     * shared Redis for the rest) and serves every hit at once, without waiting for a batch or the
     * model: the returned step checks the jobs are still live, uploads and counts them. Never throws
     * because of the cache (an unavailable cache finds nothing).
     */
    @Override
    public Served serve(List<Prepared> polled) {
        if (!caching() || polled.isEmpty()) {
            return Served.none(polled.size());
        }
        String[] keys = new String[polled.size()];
        CachedAudio[] found = new CachedAudio[polled.size()];
        List<Integer> ask = new ArrayList<>();
        for (int i = 0; i < polled.size(); i++) {
            keys[i] = key(polled.get(i));
            if (keys[i] != null) {
                found[i] = recent == null ? null : recent.get(keys[i]);
                if (found[i] == null) {
                    ask.add(i);
                }
            }
        }
        if (cache != null && !ask.isEmpty()) {
            List<CachedAudio> shared = cache.lookup(ask.stream().map(i -> keys[i]).toList());
            for (int k = 0; k < ask.size(); k++) {
                CachedAudio a = shared.get(k);
                if (a != null) {
                    found[ask.get(k)] = a;
                    if (recent != null) {
                        recent.put(keys[ask.get(k)], a);
                    }
                }
            }
        }
        boolean[] taken = new boolean[polled.size()];
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < polled.size(); i++) {
            if (found[i] != null) {
                taken[i] = true;
                Prepared p = polled.get(i);
                rows.add(new Row(p.task(), new SynthesisOutput(found[i].samples(), found[i].durations()),
                        WorkerMetrics.Source.CACHE, p.polledNanos()));
            }
        }
        if (rows.isEmpty()) {
            return Served.none(polled.size());
        }
        return new Served(taken, running -> {
            // the jobs' states are read while the uploads run: they decide only whether a segment is counted
            List<String> ids = rows.stream().map(r -> r.task().jobId()).distinct().toList();
            Future<Map<String, JobStatus>> status = servedUploads.submit(() -> retry(() -> jobs.statuses(ids), running));
            store(rows, running, servedUploads, id -> {
                JobStatus s = await(status).get(id);
                return s != null && !s.isFinal();
            });
        });
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopped();
        }
    }

    private boolean caching() {
        return cache != null || recent != null;
    }

    /** The cache key of a prepared segment; null when its voice is not in the model (it fails in its batch). */
    private String key(Prepared p) {
        int speaker = model.manifest().speakerId(p.task().voice());
        if (speaker < 0) {
            return null;
        }
        long[] phones = p.phones() != null ? p.phones() : phonemizer.ids(p.task().text());
        return CacheKey.of(model.manifest().version(), speaker, (float) p.task().speed(), phones);
    }

    /**
     * Computes the batch (skips segments of finished jobs, reuses audio this worker just made for an
     * identical segment, ONE batched model call for the rest, identical rows synthesized once) and
     * returns the step that uploads each segment, counts it and assembles jobs whose last segment landed.
     *
     * @throws Stopped when {@code running} turned false while Redis was failing
     */
    @Override
    public Durable process(List<Prepared> batch, BooleanSupplier running) {
        Map<String, JobStatus> status = retry(() -> jobs.statuses(batch.stream().map(p -> p.task().jobId()).distinct()
                .toList()), running);
        List<Prepared> live = new ArrayList<>();
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
            live.add(p);
            rows.add(new SynthesisInput(p.phones() != null ? p.phones() : phonemizer.ids(t.text()), speaker,
                    (float) t.speed()));
        }
        if (live.isEmpty()) {
            return DONE;
        }
        // audio made since intake looked (an earlier batch of this backlog, or a twin in this batch) is
        // reused; ONE model call for the rest, each distinct segment once
        String[] keys = new String[rows.size()];
        SynthesisOutput[] outs = new SynthesisOutput[rows.size()];
        WorkerMetrics.Source[] source = new WorkerMetrics.Source[rows.size()];
        Map<String, Integer> firstOfKey = new HashMap<>();
        List<Integer> missIdx = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            source[i] = WorkerMetrics.Source.MODEL;
            if (caching()) {
                SynthesisInput in = rows.get(i);
                keys[i] = CacheKey.of(model.manifest().version(), in.speaker(), in.speed(), in.phones());
                CachedAudio a = recent == null ? null : recent.get(keys[i]);
                if (a != null) {
                    outs[i] = new SynthesisOutput(a.samples(), a.durations());
                    source[i] = WorkerMetrics.Source.REUSED;
                    continue;
                }
                if (firstOfKey.putIfAbsent(keys[i], i) != null) {
                    source[i] = WorkerMetrics.Source.REUSED; // filled in from its twin below
                    continue;
                }
            }
            missIdx.add(i);
        }
        List<SynthesisOutput> made = List.of();
        double inferSeconds = 0;
        if (!missIdx.isEmpty()) {
            long t0 = System.nanoTime();
            made = infer(missIdx.stream().map(i -> live.get(i).task()).toList(),
                    missIdx.stream().map(rows::get).toList(), running);
            inferSeconds = (System.nanoTime() - t0) / 1e9;
        }
        Map<String, CachedAudio> fresh = new HashMap<>();
        long samples = 0;
        for (int k = 0; k < missIdx.size(); k++) {
            int i = missIdx.get(k);
            SynthesisOutput o = made.get(k);
            outs[i] = o;
            if (o != null) {
                samples += o.samples().length;
                if (keys[i] != null) {
                    CachedAudio a = new CachedAudio(o.samples(), o.durations());
                    fresh.put(keys[i], a);
                    if (recent != null) {
                        recent.put(keys[i], a); // the next poll's intake already finds it
                    }
                }
            }
        }
        List<Row> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            SynthesisOutput o = outs[i] != null ? outs[i] : keys[i] == null ? null : outs[firstOfKey.get(keys[i])];
            if (o != null) {
                out.add(new Row(live.get(i).task(), o, source[i], live.get(i).polledNanos()));
            } else if (source[i] == WorkerMetrics.Source.REUSED) {
                fail(live.get(i).task(), "synthesis failed: an identical segment of the same batch failed", running);
            }
        }
        double audio = samples / (double) model.manifest().sampleRate();
        if (!missIdx.isEmpty()) {
            metrics.inferred(inferSeconds, audio);
        }
        if (log.isDebugEnabled()) {
            log.debug("batch of {} rows ({} reused): inference {} ms, {} s of audio", live.size(),
                    live.size() - missIdx.size(), Math.round(inferSeconds * 1000), String.format("%.2f", audio));
        }
        SegmentCache c = cache;
        return r -> {
            if (c != null) {
                c.store(fresh); // never fails the batch: the cache is optional
            }
            store(out, r, uploads, id -> true);
        };
    }

    /** A segment with its audio, where the audio came from, and when it was polled. */
    private record Row(SegmentTask task, SynthesisOutput out, WorkerMetrics.Source source, long polledNanos) {
    }

    /**
     * Uploads and counts every segment (in parallel on {@code pool}, or one after another when it is
     * null), then assembles finished jobs; a segment whose job is not {@code live} after its upload is
     * not counted. Each counted segment's poll-to-durable time goes to the metrics by where its audio
     * came from.
     */
    private void store(List<Row> rows, BooleanSupplier running, ExecutorService pool, Predicate<String> live) {
        Map<String, Map<Integer, byte[]>> uploaded = new ConcurrentHashMap<>();
        List<Runnable> writes = new ArrayList<>();
        for (Row row : rows) {
            SegmentTask task = row.task();
            float[] samples = row.out().samples();
            boolean cached = row.source() != WorkerMetrics.Source.MODEL;
            writes.add(() -> {
                long t0 = System.nanoTime();
                byte[] wav = retry(() -> writer.upload(task, samples), running);
                metrics.uploaded((System.nanoTime() - t0) / 1e9);
                if (!live.test(task.jobId())) {
                    return; // finished meanwhile (cancelled, failed, expired): nothing to count
                }
                if (task.inBook()) { // before counting: the chapter's assembly reads every segment's words
                    String words = WordTimings.json(phonemizer.words(task.text()), row.out().durations(), samples.length,
                            model.manifest().sampleRate());
                    retry(() -> {
                        jobs.putWords(task.jobId(), task.index(), words);
                        return null;
                    }, running);
                }
                Map<Integer, byte[]> mine = uploaded.computeIfAbsent(task.jobId(), k -> new ConcurrentHashMap<>());
                mine.put(task.index(), wav); // before counting: whoever counts last may join from memory
                SegmentMark mark = retry(() -> writer.count(task, samples.length, cached), running);
                metrics.segmentDurable(row.source(), (System.nanoTime() - row.polledNanos()) / 1e9);
                if (mark.readyToAssemble()) {
                    retry(() -> assembler.assemble(task, mine), running);
                }
            });
        }
        runAll(writes, pool);
    }

    /** Runs every piece of work on {@code pool} (null: one after another here) and waits for all of it. */
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
            if (t.inBook()) {
                jobs.books().markFailed(t.book(), "chapter " + t.chapter() + " failed: " + reason);
            }
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
