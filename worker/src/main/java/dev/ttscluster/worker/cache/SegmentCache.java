package dev.ttscluster.worker.cache;

import dev.ttscluster.state.JobStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.UnifiedJedis;

/**
 * Finished segment audio shared by every worker through a Redis of its own (maxmemory + allkeys-lru,
 * never the job-state Redis): one round trip per batch to look up, one to store. The cache is
 * optional by design: when Redis fails or is slow (short socket timeout) the {@link Breaker} opens and
 * the batch is synthesized as if every lookup missed; a corrupt value is a miss; a store that fails is
 * dropped. No method throws because of Redis. Thread-safe.
 */
public final class SegmentCache implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SegmentCache.class);

    private final UnifiedJedis redis;
    private final Breaker breaker;
    private final long ttlSeconds;
    private final int maxValueBytes;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final DoubleAdder lookupSeconds = new DoubleAdder();
    private final AtomicLong lookups = new AtomicLong();

    /**
     * @param redis client with a short socket timeout; closed by {@link #close()}
     * @param ttlSeconds entry lifetime
     * @param maxValueBytes values larger than this are not stored
     */
    public SegmentCache(UnifiedJedis redis, Breaker breaker, long ttlSeconds, int maxValueBytes) {
        this.redis = redis;
        this.breaker = breaker;
        this.ttlSeconds = ttlSeconds;
        this.maxValueBytes = maxValueBytes;
    }

    /**
     * The cached audio of each key, in order; null where missing, corrupt, or not looked up because
     * the cache is unavailable.
     */
    public List<CachedAudio> lookup(List<String> keys) {
        List<CachedAudio> out = new ArrayList<>(java.util.Collections.nCopies(keys.size(), null));
        if (keys.isEmpty()) {
            return out;
        }
        if (!breaker.allow()) {
            skipped.addAndGet(keys.size());
            return out;
        }
        long t0 = System.nanoTime();
        try {
            byte[][] k =
                    keys.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
            List<byte[]> values = redis.mget(k);
            breaker.succeeded();
            for (int i = 0; i < keys.size(); i++) {
                byte[] v = values.get(i);
                CachedAudio a = v == null ? null : CachedAudio.decode(v).orElse(null);
                if (a != null) {
                    hits.incrementAndGet();
                    bytesRead.addAndGet(v.length);
                    out.set(i, a);
                } else {
                    misses.incrementAndGet();
                }
            }
        } catch (RuntimeException e) {
            failed("lookup", e);
            skipped.addAndGet(keys.size());
        } finally {
            lookupSeconds.add((System.nanoTime() - t0) / 1e9);
            lookups.incrementAndGet();
        }
        return out;
    }

    /** Stores each value under its key with the TTL (one pipelined round trip); oversized ones are skipped. */
    public void store(Map<String, CachedAudio> values) {
        if (values.isEmpty() || !breaker.allow()) {
            return;
        }
        try (AbstractPipeline p = redis.pipelined()) {
            long bytes = 0;
            for (Map.Entry<String, CachedAudio> e : values.entrySet()) {
                byte[] v = e.getValue().encode();
                if (v.length > maxValueBytes) {
                    continue;
                }
                p.setex(e.getKey().getBytes(StandardCharsets.UTF_8), ttlSeconds, v);
                bytes += v.length;
            }
            p.sync();
            breaker.succeeded();
            bytesWritten.addAndGet(bytes);
        } catch (RuntimeException e) {
            failed("store", e);
        }
    }

    private void failed(String what, RuntimeException e) {
        boolean wasOpen = breaker.isOpen();
        breaker.failed();
        if (breaker.isOpen() && !wasOpen) {
            log.warn(
                    "segment cache unavailable ({} failed: {}); synthesizing without it, trying again in a few seconds",
                    what,
                    e.toString());
        } else {
            log.debug("cache {} failed: {}", what, e.toString());
        }
    }

    /**
     * A pooled client for the cache's {@code redis://host:port}: connecting may take up to a second (once
     * per pooled connection), a round trip at most {@code timeoutMs}.
     */
    public static UnifiedJedis client(String redisUrl, int timeoutMs) {
        return JobStore.client(redisUrl, Math.max(1000, timeoutMs), timeoutMs);
    }

    /** Hits, misses, skipped lookups, bytes read and written, lookup time: for metrics. */
    public Stats stats() {
        return new Stats(
                hits.get(),
                misses.get(),
                skipped.get(),
                bytesRead.get(),
                bytesWritten.get(),
                lookupSeconds.sum(),
                lookups.get(),
                breaker.isOpen());
    }

    /**
     * Counters of the cache.
     *
     * @param hits lookups that found an intact value
     * @param misses lookups that found nothing usable
     * @param skipped lookups not made because the cache was unavailable
     * @param bytesRead value bytes of hits
     * @param bytesWritten value bytes stored
     * @param lookupSeconds time in lookups
     * @param lookups round trips made
     * @param open the breaker is open
     */
    public record Stats(
            long hits,
            long misses,
            long skipped,
            long bytesRead,
            long bytesWritten,
            double lookupSeconds,
            long lookups,
            boolean open) {
        /** Hits per segment looked up (skipped ones count as misses), 0..1. */
        public double hitRate() {
            long all = hits + misses + skipped;
            return all == 0 ? 0 : hits / (double) all;
        }
    }

    @Override
    public void close() {
        redis.close();
    }
}
