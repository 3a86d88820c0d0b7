package dev.ttscluster.bench;

import dev.ttscluster.deploy.local.ChildJvm;
import dev.ttscluster.deploy.local.LocalCluster;
import dev.ttscluster.state.JobStore;
import dev.ttscluster.worker.config.WorkerConfig;
import dev.ttscluster.worker.metrics.WorkerMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import redis.clients.jedis.UnifiedJedis;

/**
 * The segment cache on the repeated-phrase workload ({@link ServiceScript}): the same open-loop
 * arrivals on a fresh cluster with the cache, then on one without it. The cache starts empty (the
 * warm-up uses other texts, and the cache Redis is emptied after it), so the hit rate is what a cold
 * cluster reaches over the load, not a pre-filled figure. Hit rate and the worker's poll-to-stored
 * latency by source come from the worker's own metrics; end-to-end latencies from the jobs' own
 * timestamps, grouped by how many of each job's segments the cache served ({@code segments_cached}).
 */
final class CacheBench extends PartBench<CacheBench.Options> {
    /**
     * @param ratePerSecond offered jobs per second
     * @param seconds length of the load
     * @param conversations conversations going on at once in the script
     * @param warmupJobs jobs of other texts run first (JIT, connections, the model's first calls)
     * @param drainSeconds longest wait for the jobs after the last arrival
     * @param nice nice value for every process but the worker (0: leave priorities alone)
     */
    record Options(
            double ratePerSecond, double seconds, int conversations, int warmupJobs, double drainSeconds, int nice) {}

    static final long SEED = 37;

    CacheBench(Path dataRoot, Path model, Options opts, Consumer<String> log) {
        super(dataRoot, model, opts, log);
    }

    /** Both runs; {@code batchedEnv} is the batched worker's configuration (its cache URL is replaced). */
    Results.CacheRun run(Map<String, String> batchedEnv) throws Exception {
        Map<String, String> on = new LinkedHashMap<>(batchedEnv);
        on.remove(WorkerConfig.CACHE_REDIS_URL.name()); // the local cluster's cache Redis
        Map<String, String> off = new LinkedHashMap<>(batchedEnv);
        off.put(WorkerConfig.CACHE_REDIS_URL.name(), "");
        List<Results.CacheMode> modes = List.of(one("cache", on), one("no cache", off));
        return new Results.CacheRun(
                java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString(),
                "replies of a contact centre's voice agent (" + ServiceScript.class.getSimpleName()
                        + ", seed " + SEED + "), one job per reply, turn by turn from " + opts.conversations()
                        + " conversations at once: recurring prompts word for word, names (60), order numbers, amounts, "
                        + "dates and codes varying",
                opts.ratePerSecond(),
                opts.seconds(),
                modes);
    }

    private Results.CacheMode one(String name, Map<String, String> env) throws Exception {
        Path data = dataRoot.resolve("cache-bench-" + name.replace(' ', '-'));
        Files.createDirectories(data);
        log.accept(
                "segment cache, " + name + ": starting the cluster (Kafka, Redis, cache Redis, S3, gateway, 1 worker)");
        try (LocalCluster cluster = LocalCluster.start(data, 0, 1, model, env);
                LoadRun load = new LoadRun(cluster.gatewayUrl(), cluster.createApiKey("bench"))) {
            ChildJvm worker = cluster.workers().get(0);
            Priorities.deprioritizeAllBut(List.of(worker.pid()), opts.nice(), "segment cache, " + name, log);
            load.burst(new Workload(99).mix(opts.warmupJobs(), BenchMain.LONG_EVERY), BenchMain.LONG_EVERY, 300);
            String cacheUrl = cluster.servers().env().get(WorkerConfig.CACHE_REDIS_URL.name());
            try (UnifiedJedis redis = JobStore.client(cacheUrl, 2000)) {
                redis.flushAll(); // start the measured load from an empty shared cache
            }
            Map<String, Double> before = MetricsScrape.read(cluster.metricsUrl(worker));
            List<JobSample> samples = load.openLoop(
                    opts.ratePerSecond(),
                    opts.seconds(),
                    new ServiceScript(SEED, opts.conversations()),
                    SEED,
                    opts.drainSeconds());
            Map<String, Double> after = MetricsScrape.read(cluster.metricsUrl(worker));
            Results.CacheMode m = summarize(name, env, samples, before, after);
            log.accept(String.format(
                    "segment cache, %s: %d/%d jobs, hit rate %.1f%% of %d segments, mean job latency "
                            + "%.3f s; worker poll-to-stored mean by source %s ms",
                    name,
                    m.succeeded(),
                    m.jobs(),
                    100 * m.hitRate(),
                    m.segmentsBySource().values().stream()
                            .mapToLong(Long::longValue)
                            .sum(),
                    m.all().mean(),
                    m.workerMeanMsBySource()));
            return m;
        }
    }

    static Results.CacheMode summarize(
            String name,
            Map<String, String> env,
            List<JobSample> samples,
            Map<String, Double> before,
            Map<String, Double> after) {
        List<JobSample> ok = samples.stream().filter(JobSample::succeeded).toList();
        Map<String, Long> bySource = new LinkedHashMap<>();
        Map<String, Double> meanMs = new LinkedHashMap<>();
        for (WorkerMetrics.Source s : WorkerMetrics.Source.values()) {
            String label = "{source=\"" + s.label() + "\"}";
            double n = MetricsScrape.delta(before, after, "tts_worker_segment_seconds_count" + label);
            double sum = MetricsScrape.delta(before, after, "tts_worker_segment_seconds_sum" + label);
            bySource.put(s.label(), Math.round(n));
            meanMs.put(s.label(), n == 0 ? Double.NaN : 1000 * sum / n);
        }
        double lookups = MetricsScrape.delta(before, after, "tts_worker_cache_lookups_total");
        double uploads = MetricsScrape.delta(before, after, "tts_worker_upload_seconds_count");
        double lookupSeconds = MetricsScrape.delta(before, after, "tts_worker_cache_lookup_seconds_total");
        return new Results.CacheMode(
                name,
                env,
                samples.size(),
                ok.size(),
                latency(ok, j -> true),
                latency(ok, j -> j.segments() > 0 && j.segmentsCached() == j.segments()),
                latency(ok, j -> j.segmentsCached() == 0),
                latency(ok, j -> j.segments() == 1 && j.segmentsCached() == 1),
                latency(ok, j -> j.segments() == 1 && j.segmentsCached() == 0),
                bySource,
                meanMs,
                Math.round(lookups),
                lookups == 0 ? Double.NaN : 1000 * lookupSeconds / lookups,
                Math.round(MetricsScrape.delta(before, after, "tts_worker_cache_hits_total")),
                uploads == 0
                        ? Double.NaN
                        : 1000 * MetricsScrape.delta(before, after, "tts_worker_upload_seconds_sum") / uploads);
    }

    static Results.Latency latency(List<JobSample> jobs, Predicate<JobSample> which) {
        List<JobSample> g = jobs.stream().filter(which).toList();
        return new Results.Latency(
                g.size(),
                Stats.mean(g.stream().mapToDouble(JobSample::latency).toArray()),
                Stats.percentile(g, JobSample::latency, 50),
                Stats.percentile(g, JobSample::latency, 95));
    }
}
