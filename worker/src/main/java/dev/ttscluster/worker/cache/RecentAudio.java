package dev.ttscluster.worker.cache;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The segments this worker synthesized or fetched most recently, in its own memory, least recently
 * used first out, bounded by the bytes of their samples. It sits in front of the shared
 * {@link SegmentCache}: a repeat that arrives before the shared store of its twin finished (or in a
 * later batch of the same backlog) is served without a Redis round trip and without the model. Keys
 * are {@link CacheKey}s, so what is found is exactly what the model would make. Never fails;
 * thread-safe (one lock, held only for map operations).
 */
public final class RecentAudio {
    private final long maxBytes;
    private final LinkedHashMap<String, CachedAudio> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;

    /**
     * @param maxBytes bytes of samples held at most; 0 holds nothing
     */
    public RecentAudio(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative");
        }
        this.maxBytes = maxBytes;
    }

    /** The audio under {@code key}, or null; a hit becomes the most recently used entry. */
    public synchronized CachedAudio get(String key) {
        return entries.get(key);
    }

    /** Holds {@code audio} under {@code key}, evicting the least recently used entries beyond the bound. */
    public synchronized void put(String key, CachedAudio audio) {
        long size = size(audio);
        if (size > maxBytes) {
            return;
        }
        CachedAudio old = entries.put(key, audio);
        if (old != null) {
            bytes -= size(old);
        }
        bytes += size;
        Iterator<Map.Entry<String, CachedAudio>> it = entries.entrySet().iterator();
        while (bytes > maxBytes && it.hasNext()) {
            bytes -= size(it.next().getValue());
            it.remove();
        }
    }

    /** Bytes held now. */
    public synchronized long bytes() {
        return bytes;
    }

    /** Entries held now. */
    public synchronized int size() {
        return entries.size();
    }

    private static long size(CachedAudio a) {
        return 4L * a.samples().length + 8L * a.durations().length + 64;
    }
}
