package dev.ttscluster.worker.intake;

import dev.ttscluster.common.contract.SegmentTask;
import dev.ttscluster.worker.cache.CachedAudio;
import dev.ttscluster.worker.cache.RecentAudio;
import dev.ttscluster.worker.cache.SegmentCache;
import dev.ttscluster.worker.frontend.Phonemizer;
import dev.ttscluster.worker.ingest.Intake;
import dev.ttscluster.worker.ingest.Prepared;
import dev.ttscluster.worker.ingest.Served;
import dev.ttscluster.worker.logging.LogContext;
import dev.ttscluster.worker.metrics.WorkerMetrics;
import dev.ttscluster.worker.store.SegmentAudio;
import dev.ttscluster.worker.store.SegmentStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The intake stage, on the polling thread: runs the text frontend as a segment arrives (so the batcher
 * knows its length in phones), and serves segments whose audio is already cached without a batch or the
 * model: this worker's memory ({@code recent}) first, then ONE round trip to the shared Redis cache for the
 * rest; a shared hit is remembered in memory. The served segments' durable step stores them
 * ({@link SegmentStore#storeServed}). Either cache may be null; both null turns serving off (per-request
 * serving). Never throws because of the cache (an unavailable cache finds nothing). Not thread-safe: the
 * polling thread owns it.
 */
public final class CacheIntake implements Intake {
    private final Phonemizer phonemizer;
    private final SegmentKeys keys;
    private final SegmentStore store;
    private final SegmentCache shared;
    private final RecentAudio recent;

    /**
     * @param shared the cache every worker shares; null when off
     * @param recent this worker's memory of audio it made or fetched; null when off
     */
    public CacheIntake(
            Phonemizer phonemizer, SegmentKeys keys, SegmentStore store, SegmentCache shared, RecentAudio recent) {
        this.phonemizer = phonemizer;
        this.keys = keys;
        this.store = store;
        this.shared = shared;
        this.recent = recent;
    }

    /** Runs the text frontend as the segment arrives, so the batcher knows its length in phones. */
    @Override
    public Prepared prepare(SegmentTask task) {
        return new Prepared(task, phonemizer.ids(task.text()));
    }

    @Override
    public Served serve(List<Prepared> polled) {
        if ((shared == null && recent == null) || polled.isEmpty()) {
            return Served.none(polled.size());
        }
        try (LogContext c = LogContext.batch(polled)) {
            return lookUp(polled);
        }
    }

    private Served lookUp(List<Prepared> polled) {
        List<String> segmentKeys = new ArrayList<>(polled.size());
        List<CachedAudio> found = new ArrayList<>(polled.size());
        List<Integer> ask = new ArrayList<>();
        for (int i = 0; i < polled.size(); i++) {
            String key = keys.of(polled.get(i));
            CachedAudio mine = key == null || recent == null ? null : recent.get(key);
            segmentKeys.add(key);
            found.add(mine);
            if (key != null && mine == null) {
                ask.add(i);
            }
        }
        if (shared != null && !ask.isEmpty()) {
            List<CachedAudio> answers =
                    shared.lookup(ask.stream().map(segmentKeys::get).toList());
            for (int k = 0; k < ask.size(); k++) {
                CachedAudio a = answers.get(k);
                if (a != null) {
                    found.set(ask.get(k), a);
                    if (recent != null) {
                        recent.put(segmentKeys.get(ask.get(k)), a);
                    }
                }
            }
        }
        boolean[] taken = new boolean[polled.size()];
        List<SegmentAudio> rows = new ArrayList<>();
        for (int i = 0; i < polled.size(); i++) {
            CachedAudio a = found.get(i);
            if (a != null) {
                taken[i] = true;
                Prepared p = polled.get(i);
                rows.add(new SegmentAudio(
                        p.task(),
                        a.samples(),
                        a.durations(),
                        WorkerMetrics.Source.CACHE,
                        p.polledNanos(),
                        p.traceId()));
            }
        }
        if (rows.isEmpty()) {
            return Served.none(polled.size());
        }
        return new Served(taken, running -> store.storeServed(rows, running));
    }
}
