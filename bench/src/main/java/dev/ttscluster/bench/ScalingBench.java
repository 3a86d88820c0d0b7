package dev.ttscluster.bench;

import dev.ttscluster.deploy.local.ChildJvm;
import dev.ttscluster.deploy.local.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Horizontal scaling: the same backlog of jobs on a fresh cluster with 1 worker process and then with 2 (one
 * inference thread each, batched mode, no segment cache), throughput from the first submission to the last
 * job done. On one machine the workers share its cores with the servers, the gateway and the load generator,
 * so the ratio measures what this machine has left for a second worker as much as the design; the report
 * prints the CPU each point used.
 */
final class ScalingBench extends PartBench<ScalingBench.Options> {
    /** @param warmupJobs jobs before each backlog; @param backlogJobs jobs in each backlog; @param nice priority of others */
    record Options(int warmupJobs, int backlogJobs, int nice) {}

    ScalingBench(Path dataRoot, Path model, Options opts, Consumer<String> log) {
        super(dataRoot, model, opts, log);
    }

    Results.ScalingRun run(Map<String, String> env, List<String> backlog) throws Exception {
        List<Results.ScalingPoint> points = new ArrayList<>();
        for (int workers = 1; workers <= 2; workers++) {
            points.add(point(workers, env, backlog));
        }
        Results.ScalingRun run =
                new Results.ScalingRun(LocalDate.now(ZoneOffset.UTC).toString(), backlog.size(), points, env);
        log.accept(String.format("scaling: 2 workers / 1 worker = %.2fx", run.ratio()));
        return run;
    }

    private Results.ScalingPoint point(int workers, Map<String, String> env, List<String> backlog) throws Exception {
        Path data = dataRoot.resolve("scaling-" + workers);
        Files.createDirectories(data);
        log.accept("scaling: starting the cluster with " + workers + " worker(s)");
        try (LocalCluster cluster = LocalCluster.start(data, 0, workers, model, env);
                LoadRun load = new LoadRun(cluster.gatewayUrl(), cluster.createApiKey("bench"))) {
            List<ChildJvm> ws = cluster.workers();
            Priorities.deprioritizeAllBut(ws.stream().map(ChildJvm::pid).toList(), opts.nice(), "scaling", log);
            load.burst(new Workload(99).mix(opts.warmupJobs(), BenchMain.LONG_EVERY), BenchMain.LONG_EVERY, 300);
            Map<String, Long> pids = new LinkedHashMap<>();
            for (ChildJvm w : ws) {
                pids.put(w.name(), w.pid());
            }
            List<Double> before = segments(cluster, ws);
            CpuUse cpu0 = CpuUse.snapshot(pids);
            List<JobSample> samples = load.burst(backlog, BenchMain.LONG_EVERY, 900);
            CpuUse cpu = CpuUse.snapshot(pids).since(cpu0);
            List<Double> after = segments(cluster, ws);
            List<JobSample> ok = samples.stream().filter(JobSample::succeeded).toList();
            double span = JobSample.spanSeconds(samples);
            double audio = JobSample.audioSeconds(ok);
            double workerCpu = cpu.seconds().values().stream()
                    .mapToDouble(Double::doubleValue)
                    .sum();
            Results.Saturation sat = new Results.Saturation(
                    samples.size(),
                    ok.size(),
                    span,
                    ok.size() / span,
                    audio / span,
                    Double.NaN,
                    Map.of(),
                    cpu.machineTotal() == 0 ? Double.NaN : cpu.machineBusy() / cpu.machineTotal());
            List<Double> perWorker = new ArrayList<>();
            for (int i = 0; i < ws.size(); i++) {
                perWorker.add(after.get(i) - before.get(i));
            }
            log.accept(String.format(
                    "scaling: %d worker(s): %d/%d jobs in %.1f s, %.2f jobs/s, %.1f audio-s/s, workers %.2f "
                            + "cores, machine %.0f%% busy, segments per worker %s",
                    workers,
                    ok.size(),
                    samples.size(),
                    span,
                    sat.jobsPerSecond(),
                    sat.audioSecondsPerSecond(),
                    workerCpu / span,
                    100 * sat.machineBusy(),
                    perWorker));
            return new Results.ScalingPoint(workers, sat, workerCpu / span, perWorker);
        }
    }

    private static List<Double> segments(LocalCluster cluster, List<ChildJvm> ws) throws Exception {
        List<Double> out = new ArrayList<>();
        for (ChildJvm w : ws) {
            out.add(MetricsScrape.sum(MetricsScrape.read(cluster.metricsUrl(w)), "tts_worker_segments_total", ""));
        }
        return out;
    }
}
