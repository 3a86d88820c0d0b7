package dev.ttscluster.worker.intake;

import dev.ttscluster.worker.cache.CachedAudio;
import dev.ttscluster.worker.cache.RecentAudio;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * De-duplication when a batch is computed: a row whose audio this worker made since intake looked (an
 * earlier batch of the same backlog) reuses it from the worker's memory, and identical rows of one batch
 * are synthesized once (the later ones are twins of the first). Not thread-safe: the thread computing
 * batches owns it ({@link RecentAudio} itself is thread-safe).
 */
public final class Dedup {
    /**
     * What to do with one row.
     *
     * @param recent audio this worker made for the same key; null when none
     * @param twinOf index of the earlier row of the batch with the same key whose audio this row takes; -1 when none
     */
    public record Decision(CachedAudio recent, int twinOf) {
        static final Decision MISS = new Decision(null, -1);

        /** Neither reused nor a twin: the model must make it. */
        public boolean miss() {
            return recent == null && twinOf < 0;
        }
    }

    private final RecentAudio recent;

    /** @param recent this worker's memory of audio it made or fetched; null when off */
    public Dedup(RecentAudio recent) {
        this.recent = recent;
    }

    /**
     * One decision per row, in order.
     *
     * @param keys each row's cache key; a null key is never reused nor twinned
     */
    public List<Decision> plan(List<String> keys) {
        List<Decision> out = new ArrayList<>(keys.size());
        Map<String, Integer> firstOfKey = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            if (key == null) {
                out.add(Decision.MISS);
                continue;
            }
            CachedAudio a = recent == null ? null : recent.get(key);
            if (a != null) {
                out.add(new Decision(a, -1));
                continue;
            }
            Integer first = firstOfKey.putIfAbsent(key, i);
            out.add(first == null ? Decision.MISS : new Decision(null, first));
        }
        return out;
    }

    /** Remembers audio just made, so the next poll's intake (and the next batch) finds it. */
    public void remember(String key, CachedAudio audio) {
        if (recent != null) {
            recent.put(key, audio);
        }
    }
}
