package dev.ttscluster.worker.metrics;

import dev.ttscluster.common.error.Dependency;
import dev.ttscluster.worker.batch.Batch;
import dev.ttscluster.worker.cache.SegmentCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * What one worker measures, as Micrometer meters in a {@link PrometheusMeterRegistry} of its own: batch
 * size, padding, time in the batcher, inference and store time per batch, real-time factor, audio
 * produced, each segment's poll-to-durable time by where its audio came from, the segment cache, errors of
 * the servers it depends on, dead letters and (once {@link #bindJvmMetrics()} is called) the JVM and
 * process. {@link #render()} is the Prometheus text exposition that {@link MetricsServer} serves.
 *
 * <p>Exposed names are the project's {@code tts_worker_*} names that the benchmarks and end-to-end tests
 * read: Micrometer's Prometheus naming adds {@code _seconds} to timers and {@code _total} to counters, so
 * meters are named without those suffixes ({@code tts.worker.inference} is the histogram
 * {@code tts_worker_inference_seconds}). No common tags: a sample line is {@code name value} or
 * {@code name{one="label"} value}. Thread-safe; the clock is injected for the audio-rate gauge.
 *
 * <p>Why one class of this size: it is the list of the worker's meters, each registered once with its name,
 * help text and buckets, beside the one method a stage calls to record it. Those names are a contract (the
 * benchmarks, the end-to-end tests and the dashboards read them), and one place that holds them all is what
 * keeps them consistent; the only logic is the audio-rate window and the padding ratio.
 */
public final class WorkerMetrics implements AutoCloseable {
    private static final long RATE_WINDOW_MS = 10_000;

    /** Where a stored segment's audio came from. */
    public enum Source {
        /** Found in the cache (this worker's memory or the shared Redis) as it was polled: no batch, no model. */
        CACHE,
        /** Found when its batch was computed: audio this worker made since (or a twin in the batch). */
        REUSED,
        /** Synthesized by the model. */
        MODEL;

        /** The label value. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Clock clock;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DistributionSummary batchSize;
    private final DistributionSummary batchPadding;
    private final Timer batchWait;
    private final Timer inference;
    private final Timer store;
    private final Timer upload;
    private final DistributionSummary realtimeFactor;
    private final Map<Source, Timer> segmentLatency = new EnumMap<>(Source.class);
    private final Map<Source, Counter> segmentsBySource = new EnumMap<>(Source.class);
    private final Map<Batch.CloseReason, Counter> closed = new EnumMap<>(Batch.CloseReason.class);
    private final Map<Dependency, Counter> retriable = new EnumMap<>(Dependency.class);
    private final Counter segments;
    private final Counter paddedTokens;
    private final Counter realTokens;
    private final Counter audioSeconds;
    private final Counter failedCalls;
    private final Counter deadLetters;
    private final AtomicLong inFlight = new AtomicLong();
    private final Deque<long[]> recent = new ArrayDeque<>(); // {epoch ms, audio micro-seconds}
    /** Held here: the registry keeps only a weak reference to what a function counter reads. */
    private volatile Supplier<SegmentCache.Stats> cache;

    private JvmGcMetrics gc;

    public WorkerMetrics(Clock clock) {
        this.clock = clock;
        MeterRegistry r = registry;
        batchSize = DistributionSummary.builder("tts.worker.batch.size")
                .description("Segments per model call")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128)
                .register(r);
        // a summary's buckets count ceil(value): whole-number bounds keep them exact, hence percent, not 0..1
        batchPadding = DistributionSummary.builder("tts.worker.batch.padding.percent")
                .description("Percent of a batch's padded phone slots (rows x longest row) that are padding, per batch")
                .serviceLevelObjectives(5, 10, 20, 30, 40, 50, 60, 80)
                .register(r);
        batchWait = timer(
                "tts.worker.batch.wait",
                "Time from a batch's oldest segment arriving to the batch closing",
                0.001,
                0.005,
                0.01,
                0.025,
                0.05,
                0.1,
                0.25,
                0.5,
                1,
                2.5);
        inference = timer(
                "tts.worker.inference",
                "Model time per batch (one batched call, phonemes to waveform)",
                0.005,
                0.01,
                0.025,
                0.05,
                0.1,
                0.25,
                0.5,
                1,
                2.5,
                5,
                10);
        store = timer(
                "tts.worker.store",
                "Time to make a batch durable (uploads, progress, assembly)",
                0.005,
                0.01,
                0.025,
                0.05,
                0.1,
                0.25,
                0.5,
                1,
                2.5,
                5);
        upload = timer(
                "tts.worker.upload",
                "Time to upload one segment's audio to S3 (retries included)",
                0.002,
                0.005,
                0.01,
                0.02,
                0.05,
                0.1,
                0.25,
                0.5,
                1,
                2.5);
        realtimeFactor = DistributionSummary.builder("tts.worker.realtime.factor")
                .description("Audio seconds per inference second, per batched model call")
                .serviceLevelObjectives(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
                .register(r);
        for (Source s : Source.values()) {
            segmentLatency.put(
                    s,
                    Timer.builder("tts.worker.segment")
                            .description(
                                    "Time from a segment being polled to its audio being stored and counted, by where the "
                                            + "audio came from")
                            .tag("source", s.label())
                            .serviceLevelObjectives(slo(0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10))
                            .register(r));
            segmentsBySource.put(
                    s,
                    Counter.builder("tts.worker.segments.stored")
                            .description(
                                    "Segments stored and counted, by where their audio came from (cache, reused, model)")
                            .tag("source", s.label())
                            .register(r));
        }
        for (Batch.CloseReason reason : Batch.CloseReason.values()) {
            closed.put(
                    reason,
                    Counter.builder("tts.worker.batches")
                            .description("Batches by what closed them")
                            .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                            .register(r));
        }
        for (Dependency b : Dependency.values()) {
            retriable.put(
                    b,
                    Counter.builder("tts.worker.retriable.errors")
                            .description(
                                    "Calls to a backing server that failed retriably (and were retried), by server")
                            .tag("backend", b.label())
                            .register(r));
        }
        segments = counter("tts.worker.segments", "Segments synthesized");
        paddedTokens = counter("tts.worker.padded.tokens", "Phone slots of all batches (rows x longest)");
        realTokens = counter("tts.worker.real.tokens", "Phones of all batches");
        audioSeconds = counter("tts.worker.audio.seconds", "Audio produced, in seconds");
        failedCalls = counter(
                "tts.worker.inference.failures",
                "Model calls that threw (bad rows being isolated, transient faults retried)");
        deadLetters =
                counter("tts.worker.dead.letters", "Segments that failed for good and went to the dead-letter topic");
        gauge(
                "tts.worker.padding.ratio",
                "Share of padded phone slots that were padding, over all batches",
                WorkerMetrics::paddingRatio);
        gauge(
                "tts.worker.audio.seconds.per.second",
                "Audio seconds produced per second, last 10 s",
                WorkerMetrics::audioRate);
        gauge("tts.worker.store.in.flight", "Inferred batches not yet durable", m -> m.inFlight.get());
    }

    private Timer timer(String name, String help, double... boundsSeconds) {
        return Timer.builder(name)
                .description(help)
                .serviceLevelObjectives(slo(boundsSeconds))
                .register(registry);
    }

    private static Duration[] slo(double... seconds) {
        Duration[] d = new Duration[seconds.length];
        for (int i = 0; i < seconds.length; i++) {
            d[i] = Duration.ofNanos(Math.round(seconds[i] * 1e9));
        }
        return d;
    }

    private Counter counter(String name, String help) {
        return Counter.builder(name).description(help).register(registry);
    }

    private void gauge(String name, String help, ToDoubleFunction<WorkerMetrics> f) {
        Gauge.builder(name, this, f).description(help).strongReference(true).register(registry);
    }

    /**
     * Adds the JVM's and the process's meters (memory, GC, threads, classes, CPU, uptime, open files).
     *
     * @return this
     */
    public synchronized WorkerMetrics bindJvmMetrics() {
        if (gc == null) {
            new JvmMemoryMetrics().bindTo(registry);
            gc = new JvmGcMetrics();
            gc.bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            new FileDescriptorMetrics().bindTo(registry);
        }
        return this;
    }

    /** The registry behind every meter (for tests and further binders). */
    public MeterRegistry registry() {
        return registry;
    }

    /** A segment became durable {@code seconds} after it was polled; its audio came from {@code source}. */
    public void segmentDurable(Source source, double seconds) {
        segmentLatency.get(source).record(nanos(seconds), TimeUnit.NANOSECONDS);
        segmentsBySource.get(source).increment();
    }

    /** One segment's audio took {@code seconds} to upload. */
    public void uploaded(double seconds) {
        upload.record(nanos(seconds), TimeUnit.NANOSECONDS);
    }

    /** Segments stored so far whose audio came from {@code source}. */
    public long segmentsStored(Source source) {
        return segmentLatency.get(source).count();
    }

    /** Mean poll-to-durable seconds of segments whose audio came from {@code source}; 0 when none. */
    public double meanSegmentSeconds(Source source) {
        return segmentLatency.get(source).mean(TimeUnit.SECONDS);
    }

    /** A batch closed by the batcher. */
    public void batchClosed(Batch<?> batch, int segmentsInBatch) {
        batchSize.record(segmentsInBatch);
        batchWait.record(batch.waitedMs(), TimeUnit.MILLISECONDS);
        closed.get(batch.reason()).increment();
        segments.increment(segmentsInBatch);
        paddedTokens.increment(batch.paddedTokens());
        realTokens.increment(batch.realTokens());
        if (batch.paddedTokens() > 0) {
            batchPadding.record(100 * batch.paddingRatio());
        }
    }

    /** One batched model call took {@code seconds} and produced {@code audio} seconds of audio. */
    public void inferred(double seconds, double audio) {
        inference.record(nanos(seconds), TimeUnit.NANOSECONDS);
        audioSeconds.increment(audio);
        if (seconds > 0 && audio > 0) {
            realtimeFactor.record(audio / seconds);
        }
        synchronized (recent) {
            recent.addLast(new long[] {clock.millis(), Math.round(audio * 1e6)});
        }
    }

    /** {@code calls} model calls threw (poison rows being isolated, or transient faults that passed on retry). */
    public void inferenceFailed(int calls) {
        failedCalls.increment(calls);
    }

    /** A segment failed for good and went to the dead-letter topic. */
    public void deadLettered() {
        deadLetters.increment();
    }

    /** Segments dead-lettered so far. */
    public long deadLetters() {
        return (long) deadLetters.count();
    }

    /**
     * A call to {@code backend} failed with a retriable error (it will be retried); counted as
     * {@code tts_worker_retriable_errors_total{backend="<its label>"}}.
     */
    public void retriableError(Dependency backend) {
        retriable.get(backend).increment();
    }

    /** Retriable errors of {@code backend} so far. */
    public long retriableErrors(Dependency backend) {
        return (long) retriable.get(backend).count();
    }

    /** A batch became durable after {@code seconds}. */
    public void stored(double seconds) {
        store.record(nanos(seconds), TimeUnit.NANOSECONDS);
    }

    /** Batches inferred whose effects are not durable yet. */
    public void inFlight(long n) {
        inFlight.set(n);
    }

    /** Audio seconds produced per second over the last 10 s. */
    public double audioRate() {
        long now = clock.millis();
        double micros = 0;
        synchronized (recent) {
            while (!recent.isEmpty() && recent.peekFirst()[0] < now - RATE_WINDOW_MS) {
                recent.pollFirst();
            }
            for (long[] r : recent) {
                micros += r[1];
            }
        }
        return micros / 1e6 / (RATE_WINDOW_MS / 1000.0);
    }

    /** Padded slots that were padding, over all batches, 0..1. */
    public double paddingRatio() {
        double padded = paddedTokens.count();
        return padded == 0 ? 0 : 1.0 - realTokens.count() / padded;
    }

    public double meanBatchSize() {
        return batchSize.mean();
    }

    public long batches() {
        return batchSize.count();
    }

    /**
     * Exposes the segment cache's counters ({@code tts_worker_cache_*}), read from {@code stats} at each
     * scrape; call at most once, when there is a cache.
     */
    public void cacheStats(Supplier<SegmentCache.Stats> stats) {
        this.cache = stats;
        cacheCounter("tts.worker.cache.hits", "Segments served from the shared cache", stats, s -> s.hits());
        cacheCounter(
                "tts.worker.cache.misses", "Segments looked up and not found (or corrupt)", stats, s -> s.misses());
        cacheCounter("tts.worker.cache.skipped", "Segments not looked up: cache unavailable", stats, s -> s.skipped());
        cacheCounter("tts.worker.cache.read.bytes", "Bytes of cache hits", stats, s -> s.bytesRead());
        cacheCounter("tts.worker.cache.written.bytes", "Bytes stored in the cache", stats, s -> s.bytesWritten());
        cacheCounter(
                "tts.worker.cache.lookup.seconds", "Time in cache lookups", stats, SegmentCache.Stats::lookupSeconds);
        cacheCounter("tts.worker.cache.lookups", "Cache lookup round trips", stats, s -> s.lookups());
        Gauge.builder("tts.worker.cache.open", stats, s -> s.get().open() ? 1 : 0)
                .description("1 while the cache's breaker is open")
                .strongReference(true)
                .register(registry);
    }

    private void cacheCounter(
            String name, String help, Supplier<SegmentCache.Stats> stats, ToDoubleFunction<SegmentCache.Stats> f) {
        FunctionCounter.builder(name, stats, s -> f.applyAsDouble(s.get()))
                .description(help)
                .register(registry);
    }

    /** The Prometheus text exposition (format 0.0.4) of every meter. */
    public String render() {
        return registry.scrape();
    }

    private static long nanos(double seconds) {
        return Math.round(seconds * 1e9);
    }

    /** Stops the JVM binders that hold listeners and closes the registry. */
    @Override
    public synchronized void close() {
        if (gc != null) {
            gc.close();
        }
        registry.close();
    }
}
