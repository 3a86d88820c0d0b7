package dev.ttscluster.bench;

import dev.ttscluster.bench.proc.ProcStatus;
import dev.ttscluster.deploy.local.ChildJvm;
import dev.ttscluster.deploy.local.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs one serving mode on a fresh local cluster (real Kafka, Redis, S3 server, a gateway and one
 * worker JVM): warm-up, a backlog for saturation throughput, then open-loop steps of increasing
 * load until latency runs away. Reads peak resident memory of the services and the worker's metrics.
 */
public final class ClusterBench extends PartBench<ClusterBench.Options> {
    /**
     * Options of a run.
     *
     * @param stepSeconds length of each open-loop step
     * @param warmupJobs jobs run before measuring (JIT compilation, connection pools, the model's first calls)
     * @param saturationJobs jobs in the backlog
     * @param longEvery every n-th job is long
     * @param sloSeconds p95 limit of a sustained step
     * @param drainSeconds longest wait for a step's jobs after its last arrival
     * @param nice nice value for every process but the worker (0: leave priorities alone)
     */
    public record Options(
            double stepSeconds,
            int warmupJobs,
            int saturationJobs,
            int longEvery,
            double sloSeconds,
            double drainSeconds,
            int nice) {}

    public ClusterBench(Path dataRoot, Path model, Options opts, Consumer<String> log) {
        super(dataRoot, model, opts, log);
    }

    /**
     * Measures one mode; {@code rates} gives the open-loop steps (increasing) from the mode's saturation
     * throughput in jobs per second.
     */
    public Results.Mode run(
            String name,
            String description,
            Map<String, String> env,
            Supplier<EngineBench.Point> engineProbe,
            List<String> saturationTexts,
            Function<Double, List<Double>> rates)
            throws Exception {
        Path data = dataRoot.resolve(name);
        Files.createDirectories(data);
        log.accept(name + ": starting the cluster (Kafka, Redis, S3, gateway, 1 worker)");
        try (LocalCluster cluster = LocalCluster.start(data, 0, 1, model, env);
                LoadRun load = new LoadRun(cluster.gatewayUrl(), cluster.createApiKey("bench"))) {
            ChildJvm worker = cluster.workers().get(0);
            Priorities.deprioritizeAllBut(List.of(worker.pid()), opts.nice(), name, log);
            load.burst(new Workload(99).mix(opts.warmupJobs(), opts.longEvery()), opts.longEvery(), 300); // warm-up
            // the raw engine right before and right after the backlog, so slow drifts of this machine's
            // speed cancel out of the efficiency
            EngineBench.Point rawBefore = engineProbe.get();
            Map<String, Double> before = MetricsScrape.read(cluster.metricsUrl(worker));
            Map<String, Long> pids = processes(cluster, worker);
            CpuUse cpu0 = CpuUse.snapshot(pids);
            log.accept(name + ": backlog of " + saturationTexts.size() + " jobs");
            List<JobSample> sat = load.burst(saturationTexts, opts.longEvery(), 600);
            CpuUse cpu = CpuUse.snapshot(pids).since(cpu0);
            Map<String, Double> after = MetricsScrape.read(cluster.metricsUrl(worker));
            EngineBench.Point rawAfter = engineProbe.get();
            EngineBench.Point engine = EngineBench.Point.combine(rawBefore, rawAfter);
            log.accept(String.format(
                    "%s: raw engine %.1f audio-s/s (%.1f before the backlog, %.1f after)",
                    name,
                    engine.audioSecondsPerSecond(),
                    rawBefore.audioSecondsPerSecond(),
                    rawAfter.audioSecondsPerSecond()));
            Results.Saturation saturation =
                    saturation(sat, MetricsScrape.delta(before, after, "tts_worker_inference_seconds_sum"), cpu);
            log.accept(name + ": CPU seconds during the backlog " + cpu.seconds()
                    + String.format(", machine %.1f of %.1f core-seconds busy", cpu.machineBusy(), cpu.machineTotal()));
            log.accept(String.format(
                    "%s: saturation %.2f jobs/s, %.1f audio-s/s (engine busy %.0f%%)",
                    name,
                    saturation.jobsPerSecond(),
                    saturation.audioSecondsPerSecond(),
                    100 * saturation.engineBusy()));
            List<Results.Step> steps = new ArrayList<>();
            double maxSustained = 0;
            int seed = 1;
            for (double rate : rates.apply(saturation.jobsPerSecond())) {
                Results.Step step = null;
                // a step that does not keep up runs once more before load stops rising: this shared machine has
                // transient slowdowns, and one should not pass for latency running away (both attempts are kept)
                for (int attempt = 1; attempt <= 2 && (step == null || !step.sustained()); attempt++) {
                    List<JobSample> samples = load.openLoop(
                            rate,
                            opts.stepSeconds(),
                            opts.longEvery(),
                            new Workload(1000L * attempt + seed),
                            seed + 100L * attempt,
                            opts.drainSeconds());
                    step = step(rate, samples, attempt);
                    steps.add(step);
                    log.accept(String.format(
                                    "%s: %.2f jobs/s offered -> %.2f done/s, p50 %.3f s, p95 %.3f s, first audio "
                                            + "p95 %.3f s%s%s",
                                    name,
                                    rate,
                                    step.completedJobsPerSecond(),
                                    step.latencyP50(),
                                    step.latencyP95(),
                                    step.firstAudioP95(),
                                    attempt > 1 ? " (second attempt)" : "",
                                    step.sustained() ? "" : "  (not sustained)")
                            + (step.notSucceeded().isEmpty() ? "" : "; not succeeded: " + step.notSucceeded()));
                }
                seed++;
                if (step.sustained()) {
                    maxSustained = rate;
                } else {
                    break;
                }
            }
            Map<String, Double> end = MetricsScrape.read(cluster.metricsUrl(worker));
            return new Results.Mode(
                    name,
                    description,
                    env,
                    engine,
                    saturation,
                    saturation.audioSecondsPerSecond() / engine.audioSecondsPerSecond(),
                    steps,
                    maxSustained,
                    ProcStatus.peakRssMb(worker.pid()),
                    ProcStatus.peakRssMb(cluster.gateway().pid()),
                    workerStats(end));
        }
    }

    private Results.Step step(double rate, List<JobSample> samples, int attempt) {
        List<JobSample> ok = samples.stream().filter(JobSample::succeeded).toList();
        Map<String, Integer> notSucceeded = new java.util.TreeMap<>();
        samples.stream().filter(s -> !s.succeeded()).forEach(s -> notSucceeded.merge(s.status(), 1, Integer::sum));
        double span = JobSample.spanSeconds(samples);
        double done = ok.size() / Math.max(span, opts.stepSeconds());
        double audio = JobSample.audioSeconds(ok) / Math.max(span, opts.stepSeconds());
        double p95 = Stats.percentile(ok, JobSample::latency, 95);
        List<JobSample> shorts =
                ok.stream().filter(s -> s.kind() == Workload.Kind.SHORT).toList();
        // kept up: every job done, completions at least 90% of the arrivals actually drawn (Poisson), p95 in the SLO
        double arrived = samples.size() / opts.stepSeconds();
        boolean sustained = ok.size() == samples.size() && done >= 0.9 * arrived && p95 <= opts.sloSeconds();
        return new Results.Step(
                rate,
                samples.size(),
                ok.size(),
                done,
                audio,
                Stats.percentile(ok, JobSample::latency, 50),
                p95,
                Stats.percentile(ok, JobSample::latency, 99),
                Stats.percentile(ok, JobSample::firstAudio, 50),
                Stats.percentile(ok, JobSample::firstAudio, 95),
                Stats.percentile(shorts, JobSample::latency, 95),
                sustained,
                notSucceeded,
                attempt);
    }

    /** The processes whose CPU time is worth knowing: worker, gateway, this JVM (servers, load), Redis. */
    static Map<String, Long> processes(LocalCluster cluster, ChildJvm worker) {
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("worker", worker.pid());
        pids.put("gateway", cluster.gateway().pid());
        pids.put("kafka+s3+load generator", ProcessHandle.current().pid());
        ProcessHandle.current()
                .descendants()
                .filter(p -> p.info().command().map(c -> c.contains("redis")).orElse(false))
                .forEach(p -> pids.put("redis", p.pid()));
        return pids;
    }

    private static Results.Saturation saturation(List<JobSample> samples, double inferenceSeconds, CpuUse cpu) {
        List<JobSample> ok = samples.stream().filter(JobSample::succeeded).toList();
        double span = JobSample.spanSeconds(samples);
        double audio = JobSample.audioSeconds(ok);
        Map<String, Double> perAudio = new LinkedHashMap<>();
        cpu.seconds().forEach((k, v) -> perAudio.put(k, audio == 0 ? Double.NaN : v / audio));
        return new Results.Saturation(
                samples.size(),
                ok.size(),
                span,
                ok.size() / span,
                audio / span,
                inferenceSeconds / span,
                perAudio,
                cpu.machineTotal() == 0 ? Double.NaN : cpu.machineBusy() / cpu.machineTotal());
    }

    private static Results.WorkerStats workerStats(Map<String, Double> m) {
        double batches = m.getOrDefault("tts_worker_batch_size_count", 0.0);
        Map<String, Long> closedBy = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (k.startsWith("tts_worker_batches_total{reason=\"")) {
                closedBy.put(k.substring(k.indexOf('"') + 1, k.lastIndexOf('"')), Math.round(v));
            }
        });
        return new Results.WorkerStats(
                Math.round(batches),
                MetricsScrape.mean(m, "tts_worker_batch_size"),
                m.getOrDefault("tts_worker_padding_ratio", 0.0),
                1000 * MetricsScrape.mean(m, "tts_worker_batch_wait_seconds"),
                1000 * MetricsScrape.mean(m, "tts_worker_inference_seconds"),
                1000 * MetricsScrape.mean(m, "tts_worker_store_seconds"),
                closedBy);
    }
}
