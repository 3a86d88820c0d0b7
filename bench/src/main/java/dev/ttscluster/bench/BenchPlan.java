package dev.ttscluster.bench;

import dev.ttscluster.worker.batch.BatchPolicy;
import dev.ttscluster.worker.config.WorkerConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every part of the harness runs with, from the command line: full length or {@code --quick} (short steps, small
 * backlogs: checks the harness, its numbers are not for the report), the priority of everything but the worker, and
 * the workers' configurations. Immutable; {@link #of} fails with NumberFormatException naming a bad option.
 *
 * @param cluster the load-step part (both modes on the whole cluster)
 * @param cache the segment cache's workload
 * @param book interactive latency while a book runs
 * @param scaling 1 worker against 2
 * @param variants the bundle's variants
 * @param soak the memory soak
 * @param batched the batched mode's batch policy
 * @param batchedEnv the batched worker's configuration (no segment cache: batching alone against per-request)
 * @param perRequestEnv the per-request worker's configuration
 */
record BenchPlan(
        ClusterBench.Options cluster,
        CacheBench.Options cache,
        BookBench.Options book,
        ScalingBench.Options scaling,
        VariantsBench.Options variants,
        SoakBench.Options soak,
        BatchPolicy batched,
        Map<String, String> batchedEnv,
        Map<String, String> perRequestEnv) {

    static BenchPlan of(BenchArgs a) {
        boolean quick = a.quick();
        int nice = a.getInt("--nice", 10);
        ClusterBench.Options o = quick
                ? new ClusterBench.Options(4, 24, 24, BenchMain.LONG_EVERY, 2.0, 60, nice)
                : new ClusterBench.Options(20, 150, 500, BenchMain.LONG_EVERY, 2.0, 90, nice);
        o = new ClusterBench.Options(
                a.getDouble("--step-seconds", o.stepSeconds()),
                a.getInt("--warmup", o.warmupJobs()),
                a.getInt("--backlog", o.saturationJobs()),
                o.longEvery(),
                o.sloSeconds(),
                o.drainSeconds(),
                nice);
        BatchPolicy batched = new BatchPolicy(16, 2048, 50, true);
        Map<String, String> batchedEnv = new LinkedHashMap<>();
        batchedEnv.put(WorkerConfig.MODE.name(), "batched");
        batchedEnv.put(WorkerConfig.BATCH_MAX_SIZE.name(), Integer.toString(batched.maxSize()));
        batchedEnv.put(WorkerConfig.BATCH_MAX_TOKENS.name(), Integer.toString(batched.maxPaddedTokens()));
        batchedEnv.put(WorkerConfig.BATCH_WINDOW_MS.name(), Long.toString(batched.windowMs()));
        batchedEnv.put(WorkerConfig.BATCH_GROUP_BY_LENGTH.name(), "true");
        batchedEnv.put(WorkerConfig.STORE_IN_FLIGHT.name(), "2");
        batchedEnv.put(WorkerConfig.UPLOAD_THREADS.name(), a.get("--upload-threads", "1"));
        batchedEnv.put(WorkerConfig.INFERENCE_THREADS.name(), "1");
        // batching alone against per-request: the segment cache is measured on its own workload
        batchedEnv.put(WorkerConfig.CACHE_REDIS_URL.name(), "");
        Map<String, String> perRequestEnv = new LinkedHashMap<>();
        perRequestEnv.put(WorkerConfig.MODE.name(), "per-request");
        perRequestEnv.put(WorkerConfig.INFERENCE_THREADS.name(), "1");
        return new BenchPlan(
                o,
                quick
                        ? new CacheBench.Options(3, 6, 8, 24, 60, nice)
                        : new CacheBench.Options(6, 60, 30, 150, 90, nice),
                quick
                        ? new BookBench.Options(2, 6, 3, 30, 24, 60, nice)
                        : new BookBench.Options(3, 60, 20, 60, 150, 90, nice),
                quick ? new ScalingBench.Options(6, 24, nice) : new ScalingBench.Options(60, 300, nice),
                quick ? new VariantsBench.Options(8, 1, 4, 12, nice) : new VariantsBench.Options(48, 6, 30, 120, nice),
                new SoakBench.Options(
                        a.getDouble("--soak-seconds", quick ? 30 : 600), 2.0, quick ? 4 : 40, quick ? 5 : 15, nice),
                batched,
                Collections.unmodifiableMap(batchedEnv),
                Collections.unmodifiableMap(perRequestEnv));
    }

    /** The backlog of the load-step part: the same texts for both modes and every repeat. */
    List<String> backlog() {
        return new Workload(BenchMain.BACKLOG_SEED).mix(cluster.saturationJobs(), BenchMain.LONG_EVERY);
    }

    /** The scaling part's backlog. */
    List<String> scalingBacklog() {
        return new Workload(BenchMain.BACKLOG_SEED + 1).mix(scaling.backlogJobs(), BenchMain.LONG_EVERY);
    }

    /** The soak's worker: batched as the others, with the segment cache on (repeats are part of its mix). */
    Map<String, String> soakEnv() {
        Map<String, String> env = new LinkedHashMap<>(batchedEnv);
        env.remove(WorkerConfig.CACHE_REDIS_URL.name());
        return env;
    }
}
