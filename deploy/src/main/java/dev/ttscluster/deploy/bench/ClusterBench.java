package dev.ttscluster.deploy.bench;

import dev.ttscluster.deploy.local.ChildJvm;
import dev.ttscluster.deploy.local.LocalCluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
public final class ClusterBench {
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
    public record Options(double stepSeconds, int warmupJobs, int saturationJobs, int longEvery, double sloSeconds,
                          double drainSeconds, int nice) {
    }

    private final Path dataRoot;
    private final Path model;
    private final Options opts;
    private final Consumer<String> log;

    public ClusterBench(Path dataRoot, Path model, Options opts, Consumer<String> log) {
        this.dataRoot = dataRoot;
        this.model = model;
        this.opts = opts;
        this.log = log;
    }

    /**
     * Measures one mode; {@code rates} gives the open-loop steps (increasing) from the mode's saturation
     * throughput in jobs per second.
     */
    public Results.Mode run(String name, String description, Map<String, String> env, Supplier<EngineBench.Point> engineProbe,
                            List<String> saturationTexts, Function<Double, List<Double>> rates) throws Exception {
        Path data = dataRoot.resolve(name);
        Files.createDirectories(data);
        log.accept(name + ": starting the cluster (Kafka, Redis, S3, gateway, 1 worker)");
        try (LocalCluster cluster = LocalCluster.start(data, 0, 1, model, env);
             LoadRun load = new LoadRun(cluster.gatewayUrl(), cluster.createApiKey("bench"))) {
            ChildJvm worker = cluster.workers().get(0);
            deprioritizeAllBut(worker, opts.nice(), name, log);
            load.burst(new Workload(99).mix(opts.warmupJobs(), opts.longEvery()), opts.longEvery(), 300); // warm-up
            // the raw engine right before and right after the backlog, so slow drifts of this machine's
            // speed cancel out of the efficiency
            EngineBench.Point rawBefore = engineProbe.get();
            Map<String, Double> before = scrape(cluster.metricsUrl(worker));
            Map<String, Long> pids = processes(cluster, worker);
            CpuUse cpu0 = CpuUse.snapshot(pids);
            log.accept(name + ": backlog of " + saturationTexts.size() + " jobs");
            List<JobSample> sat = load.burst(saturationTexts, opts.longEvery(), 600);
            CpuUse cpu = CpuUse.snapshot(pids).since(cpu0);
            Map<String, Double> after = scrape(cluster.metricsUrl(worker));
            EngineBench.Point rawAfter = engineProbe.get();
            EngineBench.Point engine = EngineBench.Point.combine(rawBefore, rawAfter);
            log.accept(String.format("%s: raw engine %.1f audio-s/s (%.1f before the backlog, %.1f after)", name,
                    engine.audioSecondsPerSecond(), rawBefore.audioSecondsPerSecond(), rawAfter.audioSecondsPerSecond()));
            Results.Saturation saturation = saturation(sat, after.getOrDefault("tts_worker_inference_seconds_sum", 0.0)
                    - before.getOrDefault("tts_worker_inference_seconds_sum", 0.0), cpu);
            log.accept(name + ": CPU seconds during the backlog " + cpu.seconds() + String.format(
                    ", machine %.1f of %.1f core-seconds busy", cpu.machineBusy(), cpu.machineTotal()));
            log.accept(String.format("%s: saturation %.2f jobs/s, %.1f audio-s/s (engine busy %.0f%%)", name,
                    saturation.jobsPerSecond(), saturation.audioSecondsPerSecond(), 100 * saturation.engineBusy()));
            List<Results.Step> steps = new ArrayList<>();
            double maxSustained = 0;
            int seed = 1;
            for (double rate : rates.apply(saturation.jobsPerSecond())) {
                Results.Step step = null;
                // a step that does not keep up runs once more before load stops rising: this shared machine has
                // transient slowdowns, and one should not pass for latency running away (both attempts are kept)
                for (int attempt = 1; attempt <= 2 && (step == null || !step.sustained()); attempt++) {
                    List<JobSample> samples = load.openLoop(rate, opts.stepSeconds(), opts.longEvery(),
                            new Workload(1000L * attempt + seed), seed + 100L * attempt, opts.drainSeconds());
                    step = step(rate, samples, attempt);
                    steps.add(step);
                    log.accept(String.format("%s: %.2f jobs/s offered -> %.2f done/s, p50 %.3f s, p95 %.3f s, first audio "
                                    + "p95 %.3f s%s%s", name, rate, step.completedJobsPerSecond(), step.latencyP50(),
                            step.latencyP95(), step.firstAudioP95(), attempt > 1 ? " (second attempt)" : "",
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
            Map<String, Double> end = scrape(cluster.metricsUrl(worker));
            return new Results.Mode(name, description, env, engine, saturation,
                    saturation.audioSecondsPerSecond() / engine.audioSecondsPerSecond(), steps, maxSustained,
                    peakRssMb(worker.pid()), peakRssMb(cluster.gateway().pid()), workerStats(end));
        }
    }

    /**
     * Lowers the CPU priority of everything but {@code worker} (servers and load generator in this JVM,
     * the gateway, Redis), as they would run on other nodes in a real cluster; 0 leaves priorities alone.
     */
    static void deprioritizeAllBut(ChildJvm worker, int nice, String name, Consumer<String> log) {
        if (nice <= 0) {
            return;
        }
        List<Long> others = new ArrayList<>();
        others.add(ProcessHandle.current().pid());
        ProcessHandle.current().descendants()
                .filter(p -> p.pid() != worker.pid())
                .filter(p -> !p.info().commandLine().orElse("").contains(EngineProbe.class.getSimpleName()))
                .map(ProcessHandle::pid).forEach(others::add);
        log.accept(name + ": nice " + nice + " for " + Priorities.deprioritize(others, nice)
                + " threads of the servers, gateway and load generator");
    }

    private Results.Step step(double rate, List<JobSample> samples, int attempt) {
        List<JobSample> ok = samples.stream().filter(JobSample::succeeded).toList();
        Map<String, Integer> notSucceeded = new java.util.TreeMap<>();
        samples.stream().filter(s -> !s.succeeded()).forEach(s -> notSucceeded.merge(s.status(), 1, Integer::sum));
        double span = JobSample.spanSeconds(samples);
        double done = ok.size() / Math.max(span, opts.stepSeconds());
        double audio = JobSample.audioSeconds(ok) / Math.max(span, opts.stepSeconds());
        double p95 = Stats.percentile(ok, JobSample::latency, 95);
        List<JobSample> shorts = ok.stream().filter(s -> s.kind() == Workload.Kind.SHORT).toList();
        // kept up: every job done, completions at least 90% of the arrivals actually drawn (Poisson), p95 in the SLO
        double arrived = samples.size() / opts.stepSeconds();
        boolean sustained = ok.size() == samples.size() && done >= 0.9 * arrived && p95 <= opts.sloSeconds();
        return new Results.Step(rate, samples.size(), ok.size(), done, audio, Stats.percentile(ok, JobSample::latency, 50),
                p95, Stats.percentile(ok, JobSample::latency, 99), Stats.percentile(ok, JobSample::firstAudio, 50),
                Stats.percentile(ok, JobSample::firstAudio, 95), Stats.percentile(shorts, JobSample::latency, 95),
                sustained, notSucceeded, attempt);
    }

    /** The processes whose CPU time is worth knowing: worker, gateway, this JVM (servers, load), Redis. */
    static Map<String, Long> processes(LocalCluster cluster, ChildJvm worker) {
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("worker", worker.pid());
        pids.put("gateway", cluster.gateway().pid());
        pids.put("kafka+s3+load generator", ProcessHandle.current().pid());
        ProcessHandle.current().descendants()
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
        return new Results.Saturation(samples.size(), ok.size(), span, ok.size() / span, audio / span,
                inferenceSeconds / span, perAudio, cpu.machineTotal() == 0 ? Double.NaN : cpu.machineBusy() / cpu.machineTotal());
    }

    private static Results.WorkerStats workerStats(Map<String, Double> m) {
        double batches = m.getOrDefault("tts_worker_batch_size_count", 0.0);
        Map<String, Long> closedBy = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (k.startsWith("tts_worker_batches_total{reason=\"")) {
                closedBy.put(k.substring(k.indexOf('"') + 1, k.lastIndexOf('"')), Math.round(v));
            }
        });
        return new Results.WorkerStats(Math.round(batches), ratio(m, "tts_worker_batch_size"),
                m.getOrDefault("tts_worker_padding_ratio", 0.0), 1000 * ratio(m, "tts_worker_batch_wait_seconds"),
                1000 * ratio(m, "tts_worker_inference_seconds"), 1000 * ratio(m, "tts_worker_store_seconds"), closedBy);
    }

    private static double ratio(Map<String, Double> m, String histogram) {
        double n = m.getOrDefault(histogram + "_count", 0.0);
        return n == 0 ? 0 : m.getOrDefault(histogram + "_sum", 0.0) / n;
    }

    /** The worker's Prometheus metrics, as name (with labels) to value. */
    static Map<String, Double> scrape(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, Double> out = new HashMap<>();
        for (String line : r.body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int sp = line.lastIndexOf(' ');
            try {
                out.put(line.substring(0, sp), Double.parseDouble(line.substring(sp + 1)));
            } catch (NumberFormatException e) {
                // not a sample line
            }
        }
        return out;
    }

    /**
     * The sum of a scrape's samples of metric {@code name} (every label set) whose labels contain {@code labels}
     * ("" for all); NaN samples are skipped.
     */
    static double sum(Map<String, Double> scrape, String name, String labels) {
        double s = 0;
        for (Map.Entry<String, Double> e : scrape.entrySet()) {
            String k = e.getKey();
            if (k.startsWith(name) && (k.length() == name.length() || k.charAt(name.length()) == '{')
                    && k.contains(labels) && !e.getValue().isNaN()) {
                s += e.getValue();
            }
        }
        return s;
    }

    /** Peak resident set (VmHWM) of a process, in MiB; NaN where /proc is not readable. */
    static double peakRssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
