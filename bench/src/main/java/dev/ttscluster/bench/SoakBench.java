package dev.ttscluster.bench;

import dev.ttscluster.deploy.local.ChildJvm;
import dev.ttscluster.deploy.local.LocalCluster;
import dev.ttscluster.worker.inference.ModelManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A memory soak: one worker with the segment cache on, warmed up, then an open-loop load of mixed jobs
 * for a long while (short and long texts, every voice of the bundle, speeds from 0.75x to 1.5x, every tenth job a
 * repeat the cache serves), the worker's resident memory and heap in use sampled all along. A leak shows as a
 * steady climb after the warm-up; a healthy worker's memory levels off.
 */
final class SoakBench extends PartBench<SoakBench.Options> {
    /** @param seconds length of the load; @param ratePerSecond offered jobs per second; @param sampleSeconds between samples */
    record Options(double seconds, double ratePerSecond, int warmupJobs, double sampleSeconds, int nice) {}

    static final double[] SPEEDS = {0.75, 1.0, 1.0, 1.25, 1.5};

    SoakBench(Path dataRoot, Path model, Options opts, Consumer<String> log) {
        super(dataRoot, model, opts, log);
    }

    Results.SoakRun run(Map<String, String> env) throws Exception {
        Path data = dataRoot.resolve("soak");
        Files.createDirectories(data);
        List<String> voices = ModelManifest.load(model).speakers();
        log.accept(String.format(
                "soak: one worker, %.0f s of mixed jobs at %.1f jobs/s, voices %s",
                opts.seconds(), opts.ratePerSecond(), voices));
        // the heap pinned at its maximum and touched at start, so that its growth to a working size (which the
        // JVM does lazily) is not read as a leak: what still climbs is memory outside the heap
        String xmx = env.getOrDefault("TTS_CHILD_XMX", "1g");
        String pinned = "-Xms" + xmx + " -XX:+AlwaysPreTouch"; // -Xmx comes from TTS_CHILD_XMX
        String jvmOptions = "-Xms" + xmx + " -Xmx" + xmx + " -XX:+AlwaysPreTouch";
        try (LocalCluster cluster = LocalCluster.start(data, 0, 0, model, env);
                LoadRun load = new LoadRun(cluster.gatewayUrl(), cluster.createApiKey("soak"))) {
            ChildJvm worker = cluster.addWorker(Map.of("TTS_CHILD_XMX", xmx, ChildJvm.JVM_OPTS, pinned));
            load.burst(new Workload(99).mix(opts.warmupJobs(), BenchMain.LONG_EVERY), BenchMain.LONG_EVERY, 300);
            List<Results.SoakSample> samples = Collections.synchronizedList(new ArrayList<>());
            long start = System.nanoTime();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "soak-sampler");
                t.setDaemon(true);
                return t;
            });
            sampler.scheduleAtFixedRate(
                    () -> samples.add(sample(cluster, worker, start)),
                    0,
                    (long) (opts.sampleSeconds() * 1000),
                    TimeUnit.MILLISECONDS);
            List<JobSample> jobs;
            try {
                jobs = load.openLoopJobs(opts.ratePerSecond(), opts.seconds(), mix(voices), 11, 300);
            } finally {
                sampler.shutdownNow();
                sampler.awaitTermination(10, TimeUnit.SECONDS);
            }
            samples.add(sample(cluster, worker, start));
            int ok = (int) jobs.stream().filter(JobSample::succeeded).count();
            Results.SoakRun run = new Results.SoakRun(
                    LocalDate.now(ZoneOffset.UTC).toString(),
                    env.getOrDefault(dev.ttscluster.worker.config.WorkerConfig.MODEL_VARIANT.name(), "")
                                    .isBlank()
                            ? ModelManifest.DEFAULT_VARIANT
                            : env.get(dev.ttscluster.worker.config.WorkerConfig.MODEL_VARIANT.name()),
                    opts.ratePerSecond(),
                    opts.seconds(),
                    jobs.size(),
                    ok,
                    "every " + BenchMain.LONG_EVERY + "th job long; voices " + voices + " in turn; speeds "
                            + java.util.Arrays.toString(SPEEDS) + " at random; every 10th job repeats an earlier one "
                            + "(served by the segment cache)",
                    List.copyOf(samples),
                    jvmOptions);
            log.accept(String.format(
                    "soak: %d/%d jobs succeeded; worker RSS %d -> %d MiB, %.2f MiB/min over the second "
                            + "half (outside the heap %.2f MiB/min)",
                    ok,
                    jobs.size(),
                    run.samples().get(0).rssBytes() >> 20,
                    run.samples().get(run.samples().size() - 1).rssBytes() >> 20,
                    run.rssSlopeMibPerMinute(),
                    run.outsideHeapSlopeMibPerMinute()));
            return run;
        }
    }

    private Supplier<Map<String, ?>> mix(List<String> voices) {
        Workload w = new Workload(BenchMain.BACKLOG_SEED + 3);
        Random r = new Random(5);
        List<Map<String, Object>> sent = new ArrayList<>();
        int[] n = {0};
        return () -> {
            int i = n[0]++;
            Map<String, Object> job;
            if (i % 10 == 9 && !sent.isEmpty()) {
                job = sent.get(r.nextInt(sent.size()));
            } else {
                job = new LinkedHashMap<>();
                job.put(
                        "text",
                        w.next(
                                i % BenchMain.LONG_EVERY == BenchMain.LONG_EVERY - 1
                                        ? Workload.Kind.LONG
                                        : Workload.Kind.SHORT));
                job.put("voice", voices.get(i % voices.size()));
                job.put("speed", SPEEDS[r.nextInt(SPEEDS.length)]);
                sent.add(job);
            }
            return job;
        };
    }

    private static Results.SoakSample sample(LocalCluster cluster, ChildJvm worker, long start) {
        double heap = Double.NaN;
        double committed = Double.NaN;
        double nonHeap = Double.NaN;
        double segments = Double.NaN;
        try {
            Map<String, Double> m = MetricsScrape.read(cluster.metricsUrl(worker));
            heap = MetricsScrape.sum(m, "jvm_memory_used_bytes", "area=\"heap\"");
            committed = MetricsScrape.sum(m, "jvm_memory_committed_bytes", "area=\"heap\"");
            nonHeap = MetricsScrape.sum(m, "jvm_memory_used_bytes", "area=\"nonheap\"");
            segments = MetricsScrape.sum(m, "tts_worker_segments_total", "");
        } catch (Exception e) {
            // a missed scrape leaves NaN in this sample; the resident memory still counts
        }
        return new Results.SoakSample(
                (System.nanoTime() - start) / 1e9, Machine.rssBytes(worker.pid()), heap, committed, nonHeap, segments);
    }
}
