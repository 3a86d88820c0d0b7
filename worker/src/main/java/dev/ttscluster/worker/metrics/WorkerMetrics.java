package dev.ttscluster.worker.metrics;

import dev.ttscluster.worker.batch.Batch;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one worker measures about its batches: size, padding, time in the batcher, inference and store
 * time per batch, audio produced. Rendered in Prometheus' text format ({@link #render()}), served by
 * {@link MetricsServer}. Thread-safe; the clock is injected for the audio-rate gauge.
 */
public final class WorkerMetrics {
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
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Clock clock;
    private final Histogram batchSize = new Histogram("tts_worker_batch_size", "Segments per model call",
            1, 2, 4, 8, 16, 32, 64, 128);
    private final Histogram batchWait = new Histogram("tts_worker_batch_wait_seconds",
            "Time from a batch's oldest segment arriving to the batch closing", 0.001, 0.005, 0.01, 0.025, 0.05, 0.1,
            0.25, 0.5, 1, 2.5);
    private final Histogram inference = new Histogram("tts_worker_inference_seconds",
            "Model time per batch (one batched call, phonemes to waveform)", 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
            1, 2.5, 5, 10);
    private final Histogram store = new Histogram("tts_worker_store_seconds",
            "Time to make a batch durable (uploads, progress, assembly)", 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
            2.5, 5);
    private final Histogram upload = new Histogram("tts_worker_upload_seconds",
            "Time to upload one segment's audio to S3 (retries included)", 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25,
            0.5, 1, 2.5);
    private final Map<Source, Histogram> segmentLatency = new EnumMap<>(Source.class);
    private final Map<Batch.CloseReason, LongAdder> closed = new EnumMap<>(Batch.CloseReason.class);
    private final LongAdder segments = new LongAdder();
    private final LongAdder paddedTokens = new LongAdder();
    private final LongAdder realTokens = new LongAdder();
    private final DoubleAdder audioSeconds = new DoubleAdder();
    private final DoubleAdder inferenceSeconds = new DoubleAdder();
    private final AtomicLong inFlight = new AtomicLong();
    private final LongAdder failedCalls = new LongAdder();
    private final LongAdder deadLetters = new LongAdder();
    private final Deque<long[]> recent = new ArrayDeque<>(); // {epoch ms, audio micro-seconds}
    private volatile java.util.function.Supplier<dev.ttscluster.worker.cache.SegmentCache.Stats> cache;

    public WorkerMetrics(Clock clock) {
        this.clock = clock;
        for (Batch.CloseReason r : Batch.CloseReason.values()) {
            closed.put(r, new LongAdder());
        }
        for (Source s : Source.values()) {
            segmentLatency.put(s, new Histogram("tts_worker_segment_seconds",
                    "Time from a segment being polled to its audio being stored and counted, by where the audio came from",
                    "source=\"" + s.label() + "\"", 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10));
        }
    }

    /** A segment became durable {@code seconds} after it was polled; its audio came from {@code source}. */
    public void segmentDurable(Source source, double seconds) {
        segmentLatency.get(source).observe(seconds);
    }

    /** One segment's audio took {@code seconds} to upload. */
    public void uploaded(double seconds) {
        upload.observe(seconds);
    }

    /** Segments stored so far whose audio came from {@code source}. */
    public long segmentsStored(Source source) {
        return segmentLatency.get(source).count();
    }

    /** Mean poll-to-durable seconds of segments whose audio came from {@code source}; 0 when none. */
    public double meanSegmentSeconds(Source source) {
        return segmentLatency.get(source).mean();
    }

    /** A batch closed by the batcher. */
    public void batchClosed(Batch<?> batch, int segmentsInBatch) {
        batchSize.observe(segmentsInBatch);
        batchWait.observe(batch.waitedMs() / 1000.0);
        closed.get(batch.reason()).increment();
        segments.add(segmentsInBatch);
        paddedTokens.add(batch.paddedTokens());
        realTokens.add(batch.realTokens());
    }

    /** One batched model call took {@code seconds} and produced {@code audio} seconds of audio. */
    public void inferred(double seconds, double audio) {
        inference.observe(seconds);
        inferenceSeconds.add(seconds);
        audioSeconds.add(audio);
        synchronized (recent) {
            recent.addLast(new long[]{clock.millis(), Math.round(audio * 1e6)});
        }
    }

    /** {@code calls} model calls threw (poison rows being isolated, or transient faults that passed on retry). */
    public void inferenceFailed(int calls) {
        failedCalls.add(calls);
    }

    /** A segment failed for good and went to the dead-letter topic. */
    public void deadLettered() {
        deadLetters.increment();
    }

    /** Segments dead-lettered so far. */
    public long deadLetters() {
        return deadLetters.sum();
    }

    /** A batch became durable after {@code seconds}. */
    public void stored(double seconds) {
        store.observe(seconds);
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
        long padded = paddedTokens.sum();
        return padded == 0 ? 0 : 1.0 - realTokens.sum() / (double) padded;
    }

    public double meanBatchSize() {
        return batchSize.mean();
    }

    public long batches() {
        return batchSize.count();
    }

    /** Where the segment cache's counters come from, when there is a cache. */
    public void cacheStats(java.util.function.Supplier<dev.ttscluster.worker.cache.SegmentCache.Stats> stats) {
        this.cache = stats;
    }

    /** The Prometheus text exposition of every metric. */
    public String render() {
        StringBuilder out = new StringBuilder(4096);
        batchSize.render(out);
        batchWait.render(out);
        inference.render(out);
        store.render(out);
        upload.render(out);
        boolean header = true;
        for (Histogram h : segmentLatency.values()) {
            h.render(out, header);
            header = false;
        }
        out.append("# HELP tts_worker_batches_total Batches by what closed them\n# TYPE tts_worker_batches_total counter\n");
        closed.forEach((r, n) -> out.append("tts_worker_batches_total{reason=\"").append(r.name().toLowerCase())
                .append("\"} ").append(n.sum()).append('\n'));
        counter(out, "tts_worker_segments_total", "Segments synthesized", segments.sum());
        counter(out, "tts_worker_padded_tokens_total", "Phone slots of all batches (rows x longest)", paddedTokens.sum());
        counter(out, "tts_worker_real_tokens_total", "Phones of all batches", realTokens.sum());
        counter(out, "tts_worker_audio_seconds_total", "Audio produced, in seconds", audioSeconds.sum());
        counter(out, "tts_worker_inference_seconds_total", "Time spent in the model", inferenceSeconds.sum());
        counter(out, "tts_worker_inference_failures_total", "Model calls that threw (bad rows being isolated, transient "
                + "faults retried)", failedCalls.sum());
        counter(out, "tts_worker_dead_letters_total", "Segments that failed for good and went to the dead-letter topic",
                deadLetters.sum());
        gauge(out, "tts_worker_padding_ratio", "Share of padded phone slots that were padding", paddingRatio());
        gauge(out, "tts_worker_audio_seconds_per_second", "Audio seconds produced per second, last 10 s", audioRate());
        gauge(out, "tts_worker_store_in_flight", "Inferred batches not yet durable", inFlight.get());
        if (cache != null) {
            dev.ttscluster.worker.cache.SegmentCache.Stats c = cache.get();
            counter(out, "tts_worker_cache_hits_total", "Segments served from the shared cache", c.hits());
            counter(out, "tts_worker_cache_misses_total", "Segments looked up and not found (or corrupt)", c.misses());
            counter(out, "tts_worker_cache_skipped_total", "Segments not looked up: cache unavailable", c.skipped());
            counter(out, "tts_worker_cache_read_bytes_total", "Bytes of cache hits", c.bytesRead());
            counter(out, "tts_worker_cache_written_bytes_total", "Bytes stored in the cache", c.bytesWritten());
            counter(out, "tts_worker_cache_lookup_seconds_total", "Time in cache lookups", c.lookupSeconds());
            counter(out, "tts_worker_cache_lookups_total", "Cache lookup round trips", c.lookups());
            gauge(out, "tts_worker_cache_open", "1 while the cache's breaker is open", c.open() ? 1 : 0);
        }
        return out.toString();
    }

    private static void counter(StringBuilder out, String name, String help, double v) {
        out.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" counter\n")
                .append(name).append(' ').append(Histogram.num(v)).append('\n');
    }

    private static void gauge(StringBuilder out, String name, String help, double v) {
        out.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" gauge\n")
                .append(name).append(' ').append(Histogram.num(v)).append('\n');
    }
}
