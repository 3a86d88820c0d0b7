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
import dev.ttscluster.worker.inference.RowIsolation;
import dev.ttscluster.worker.inference.SynthesisInput;
import dev.ttscluster.worker.inference.SynthesisModel;
import dev.ttscluster.worker.inference.SynthesisOutput;
import dev.ttscluster.worker.ingest.BatchHandler;
import dev.ttscluster.worker.ingest.LogContext;
import dev.ttscluster.worker.ingest.Prepared;
import dev.ttscluster.worker.metrics.WorkerMetrics;
import dev.ttscluster.worker.metrics.WorkerMetrics.Backend;
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
 * on a failing server is abandoned (uncommitted, so it is redelivered).
 *
 * <p>Poison work: when the model call throws, the batch is bisected ({@link RowIsolation}) until the rows
 * that fail alone are found; such a row is tried alone up to {@code maxAttempts} times (a transient fault
 * passes), then goes to the dead-letter sink with the reason, and its job (and its book) fails with that
 * reason. Every other row of the batch gets its audio from a call without the bad rows and is stored as
 * usual, so the batch's offsets still commit past the bad row.
 */
public final class SynthesisPipeline implements BatchHandler {
    private static final Logger log = LoggerFactory.getLogger(SynthesisPipeline.class);

    /** Receives segments that failed for good. */
    @FunctionalInterface
    public interface DeadLetters {
        /**
         * @param reason why, as the job's error says it
         * @param attempts model calls in which the segment ran alone and failed (0: it never reached the model)
         * @throws RetriableException when the sink is unavailable (retried while the worker runs)
         */
        void send(SegmentTask task, String reason, int attempts);
    }

    /** Model calls a segment may fail alone before it is dead-lettered, unless configured otherwise. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    /** Longest pause between a failing segment's attempts alone. */
    static final long MAX_ATTEMPT_PAUSE_MS = 2_000;

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
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private String faultMarker;

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

    /**
     * A segment that fails alone in the model this many times is dead-lettered (at least 1).
     *
     * @return this
     */
    public SynthesisPipeline withMaxAttempts(int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.maxAttempts = attempts;
        return this;
    }

    /**
     * For fault-injection tests only: every model call holding a segment whose text contains
     * {@code marker} (ignoring case) throws, as a poison segment would. Null or empty: off.
     *
     * @return this
     */
    public SynthesisPipeline withFaultInjection(String marker) {
        this.faultMarker = marker == null || marker.isEmpty() ? null : marker.toLowerCase(java.util.Locale.ROOT);
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
        try (LogContext c = LogContext.batch(polled)) {
            return serve0(polled);
        }
    }

    private Served serve0(List<Prepared> polled) {
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
                        WorkerMetrics.Source.CACHE, p.polledNanos(), p.traceId()));
            }
        }
        if (rows.isEmpty()) {
            return Served.none(polled.size());
        }
        return new Served(taken, running -> {
            // the jobs' states are read while the uploads run: they decide only whether a segment is counted
            List<String> ids = rows.stream().map(r -> r.task().jobId()).distinct().toList();
            List<String> traces = rows.stream().map(Row::traceId).toList();
            Future<Map<String, JobStatus>> status = servedUploads.submit(() -> {
                try (LogContext c = LogContext.jobs(ids, traces)) {
                    return retry(Backend.REDIS, () -> jobs.statuses(ids), running);
                }
            });
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
        return CacheKey.of(weights(), speaker, (float) p.task().speed(), phones);
    }

    /** What the audio is a function of besides the row: the bundle's version, and FP16 when the model runs so. */
    private String weights() {
        return model.halfPrecision() ? model.manifest().version() + "-fp16" : model.manifest().version();
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
        try (LogContext c = LogContext.batch(batch)) { // the batch's jobs (and traces) on every line of its compute
            return process0(batch, running);
        }
    }

    private Durable process0(List<Prepared> batch, BooleanSupplier running) {
        Map<String, JobStatus> status = retry(Backend.REDIS, () -> jobs.statuses(batch.stream().map(p -> p.task().jobId()).distinct()
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
                fail(p, "voice '" + t.voice() + "' is not in model " + model.manifest().name(), 0, running);
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
                keys[i] = CacheKey.of(weights(), in.speaker(), in.speed(), in.phones());
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
        RowIsolation.Failure[] failures = new RowIsolation.Failure[rows.size()];
        double inferSeconds = 0;
        if (!missIdx.isEmpty()) {
            long t0 = System.nanoTime();
            RowIsolation.Result r = infer(missIdx.stream().map(i -> new Work(live.get(i).task(), rows.get(i))).toList());
            inferSeconds = (System.nanoTime() - t0) / 1e9;
            made = r.outputs();
            for (int k = 0; k < missIdx.size(); k++) {
                failures[missIdx.get(k)] = r.failures().get(k);
            }
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
        // rows given up: dead-lettered, their jobs failed; the rest of those jobs' segments are not stored
        java.util.Set<String> failedJobs = new java.util.HashSet<>();
        List<Row> ready = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            SynthesisOutput o = outs[i] != null ? outs[i] : keys[i] == null ? null : outs[firstOfKey.get(keys[i])];
            Prepared p = live.get(i);
            SegmentTask t = p.task();
            if (o != null) {
                ready.add(new Row(t, o, source[i], p.polledNanos(), p.traceId()));
            } else if (failures[i] != null) {
                fail(p, failures[i].reason(), failures[i].attempts(), running);
                failedJobs.add(t.jobId());
            } else if (source[i] == WorkerMetrics.Source.REUSED) {
                RowIsolation.Failure twin = failures[firstOfKey.get(keys[i])];
                fail(p, twin.reason() + " (an identical segment of the same batch)", twin.attempts(), running);
                failedJobs.add(t.jobId());
            }
        }
        List<Row> out = ready.stream().filter(r -> !failedJobs.contains(r.task().jobId())).toList();
        double audio = samples / (double) model.manifest().sampleRate();
        if (!missIdx.isEmpty()) {
            metrics.inferred(inferSeconds, audio);
        }
        if (log.isDebugEnabled()) {
            log.debug("batch of {} rows ({} reused) of jobs [{}]: inference {} ms, {} s of audio", live.size(),
                    live.size() - missIdx.size(), LogContext.list(live.stream().map(p -> p.task().jobId()).distinct().toList()),
                    Math.round(inferSeconds * 1000), String.format("%.2f", audio));
        }
        SegmentCache c = cache;
        return r -> {
            if (c != null && !fresh.isEmpty()) {
                try (LogContext ctx = LogContext.batch(live)) { // a batch's entries: its jobs on the cache's lines
                    c.store(fresh); // never fails the batch: the cache is optional
                }
            }
            store(out, r, uploads, id -> true);
        };
    }

    /** A segment with its audio, where the audio came from, when it was polled, and its trace id. */
    private record Row(SegmentTask task, SynthesisOutput out, WorkerMetrics.Source source, long polledNanos,
                       String traceId) {
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
            writes.add(() -> {
                try (LogContext c = LogContext.job(row.task().jobId(), row.traceId())) {
                    durable(row, running, live, uploaded);
                }
            });
        }
        runAll(writes, pool);
    }

    /** Uploads and counts one segment, then assembles its job when it was the last one; see {@link #store}. */
    private void durable(Row row, BooleanSupplier running, Predicate<String> live,
                         Map<String, Map<Integer, byte[]>> uploaded) {
        SegmentTask task = row.task();
        float[] samples = row.out().samples();
        boolean cached = row.source() != WorkerMetrics.Source.MODEL;
        long t0 = System.nanoTime();
        byte[] wav = retry(Backend.S3, () -> writer.upload(task, samples), running);
        metrics.uploaded((System.nanoTime() - t0) / 1e9);
        if (!live.test(task.jobId())) {
            return; // finished meanwhile (cancelled, failed, expired): nothing to count
        }
        if (task.inBook()) { // before counting: the chapter's assembly reads every segment's words
            String words = WordTimings.json(phonemizer.words(task.text()), row.out().durations(), samples.length,
                    model.manifest().sampleRate());
            retry(Backend.REDIS, () -> {
                jobs.putWords(task.jobId(), task.index(), words);
                return null;
            }, running);
        }
        Map<Integer, byte[]> mine = uploaded.computeIfAbsent(task.jobId(), k -> new ConcurrentHashMap<>());
        mine.put(task.index(), wav); // before counting: whoever counts last may join from memory
        SegmentMark mark = retry(Backend.REDIS, () -> writer.count(task, samples.length, cached), running);
        metrics.segmentDurable(row.source(), (System.nanoTime() - row.polledNanos()) / 1e9);
        if (mark.readyToAssemble()) {
            retry(Backend.S3, () -> assembler.assemble(task, mine), running);
        }
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

    /** A row for the model with the segment it belongs to. */
    private record Work(SegmentTask task, SynthesisInput input) {
    }

    /**
     * ONE batched call; when it throws, the bad rows are isolated and retried alone ({@link RowIsolation})
     * and every other row still gets its audio.
     */
    private RowIsolation.Result infer(List<Work> work) {
        RowIsolation isolation = new RowIsolation(maxAttempts, attempt -> pause(attempt));
        RowIsolation.Result r = isolation.run(work, part -> {
            injectFault(part);
            return model.synthesize(part.stream().map(Work::input).toList());
        });
        if (r.failedCalls() > 0) {
            metrics.inferenceFailed(r.failedCalls());
        }
        return r;
    }

    /** Before attempt {@code n} of a failing row alone: the backoff, doubling, at most {@link #MAX_ATTEMPT_PAUSE_MS}. */
    private void pause(int n) {
        long ms = Math.min(MAX_ATTEMPT_PAUSE_MS, backoffMs << Math.min(n - 2, 20));
        try {
            sleeper.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopped();
        }
    }

    private void injectFault(List<Work> part) {
        if (faultMarker == null) {
            return;
        }
        for (Work w : part) {
            if (w.task().text().toLowerCase(java.util.Locale.ROOT).contains(faultMarker)) {
                throw new FatalException("injected fault: segment " + w.task().recordKey() + " holds the fault marker");
            }
        }
    }

    /** Dead-letters the segment, then fails its job (and its book) with the same reason. */
    private void fail(Prepared p, String reason, int attempts, BooleanSupplier running) {
        SegmentTask t = p.task();
        try (LogContext c = LogContext.of(p)) {
            log.warn("job {} segment {} failed: {}", t.jobId(), t.index(), reason);
            retry(Backend.KAFKA, () -> {
                deadLetters.send(t, reason, attempts);
                return null;
            }, running);
            metrics.deadLettered();
            retry(Backend.REDIS, () -> {
                if (t.inBook()) {
                    jobs.books().markFailed(t.book(), "chapter " + t.chapter() + " failed: " + reason);
                }
                return jobs.markFailed(t.jobId(), reason);
            }, running);
        }
    }

    /**
     * Runs {@code op}, retrying with backoff while it fails retriably and the worker runs; each failure is
     * counted against the server it names (S3, Redis, the dead-letter topic), else against {@code backend}.
     */
    private <T> T retry(Backend backend, java.util.function.Supplier<T> op, BooleanSupplier running) {
        long wait = backoffMs;
        while (true) {
            try {
                return op.get();
            } catch (RetriableException e) {
                metrics.retriableError(Backend.of(e, backend));
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
