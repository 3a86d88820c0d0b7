package dev.ttscluster.deploy.bench;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ttscluster.common.contract.Json;
import dev.ttscluster.worker.WorkerConfig;
import dev.ttscluster.worker.batch.BatchAggregator;
import dev.ttscluster.worker.batch.BatchPolicy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark harness ({@code deploy/bench/run-benchmarks}): in one run on one machine and one model,
 * the raw engine batch curve, then the whole local cluster in batched mode and in per-request mode
 * under the same loads; writes docs/BENCHMARKS.md, docs/bench/results.json and docs/bench/load.png.
 *
 * <p>Options: {@code --out DIR} (default docs), {@code --model DIR} (default models/slt),
 * {@code --data DIR} (servers' data and logs; default a temporary directory), {@code --quick} (short
 * steps and a small backlog: checks the harness, its numbers are not for the report), {@code --backlog N}
 * (jobs in the saturation backlog), {@code --nice N} (nice value of everything but the worker, default
 * 10; 0 leaves priorities alone), {@code --upload-threads N} (the batched worker's, default 1),
 * {@code --render results.json} (only the report and plot again, from a run's saved numbers),
 * {@code --only load} (the load-step section alone, {@code --repeats N} times, default 3, each repeat kept in
 * {@code docs/bench/LABEL.json}, {@code --label LABEL} default "load"; {@code --step-seconds S} shortens its steps), {@code --only cache|book|scaling|variants|soak} (only the segment cache's workload, interactive latency under a
 * book, scaling, the bundle's variants side by side or the memory soak, merged into the saved results.json of an
 * earlier run; the report says when each part ran), {@code --soak-seconds N} (default 600).
 */
public final class BenchMain {
    static final int LONG_EVERY = 4;
    static final long BACKLOG_SEED = 7;
    static final int SEGMENT_MAX_CHARS = 300;
    static final double[] LOAD_FRACTIONS = {0.25, 0.5, 0.65, 0.8, 0.9, 1.0, 1.1, 1.25};

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        Map<String, String> opt = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quick")) {
                opt.put("--quick", "true");
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                opt.put(args[i], args[++i]);
            } else {
                System.err.println("usage: run-benchmarks [--quick] [--out docs] [--model models/slt] [--data DIR]");
                System.exit(2);
            }
        }
        Path root = Path.of(System.getProperty("tts.repo.root", ".")).toAbsolutePath().normalize();
        Path out = root.resolve(opt.getOrDefault("--out", "docs"));
        Path model = root.resolve(opt.getOrDefault("--model", "models/slt"));
        Path data = opt.containsKey("--data") ? Path.of(opt.get("--data")) : Files.createTempDirectory("tts-bench-");
        boolean quick = opt.containsKey("--quick");
        if (opt.containsKey("--render")) {
            // the report and plot again from a run's own numbers (after a change to how they are presented)
            Results.Run saved = Json.MAPPER.readValue(Path.of(opt.get("--render")).toFile(), Results.Run.class);
            write(saved, out);
            return;
        }
        int nice = Integer.parseInt(opt.getOrDefault("--nice", "10"));
        CacheBench.Options cacheOpts = quick ? new CacheBench.Options(3, 6, 8, 24, 60, nice)
                : new CacheBench.Options(6, 60, 30, 150, 90, nice);
        BookBench.Options bookOpts = quick ? new BookBench.Options(2, 6, 3, 30, 24, 60, nice)
                : new BookBench.Options(3, 60, 20, 60, 150, 90, nice);
        ScalingBench.Options scalingOpts = quick ? new ScalingBench.Options(6, 24, nice) : new ScalingBench.Options(60, 300, nice);
        VariantsBench.Options variantOpts = quick ? new VariantsBench.Options(8, 1, 4, 12, nice)
                : new VariantsBench.Options(48, 6, 30, 120, nice);
        SoakBench.Options soakOpts = new SoakBench.Options(Double.parseDouble(opt.getOrDefault("--soak-seconds",
                quick ? "30" : "600")), 2.0, quick ? 4 : 40, quick ? 5 : 15, nice);
        ClusterBench.Options o = quick ? new ClusterBench.Options(4, 24, 24, LONG_EVERY, 2.0, 60, nice)
                : new ClusterBench.Options(20, 150, 500, LONG_EVERY, 2.0, 90, nice);
        o = new ClusterBench.Options(o.stepSeconds(), Integer.parseInt(opt.getOrDefault("--warmup", "" + o.warmupJobs())),
                Integer.parseInt(opt.getOrDefault("--backlog", "" + o.saturationJobs())), o.longEvery(), o.sloSeconds(),
                o.drainSeconds(), nice);

        List<String> backlog = new Workload(BACKLOG_SEED).mix(o.saturationJobs(), LONG_EVERY);
        BatchPolicy batched = new BatchPolicy(16, 2048, 50, true);
        Map<String, String> batchedEnv = new LinkedHashMap<>();
        batchedEnv.put(WorkerConfig.MODE.name(), "batched");
        batchedEnv.put(WorkerConfig.BATCH_MAX_SIZE.name(), Integer.toString(batched.maxSize()));
        batchedEnv.put(WorkerConfig.BATCH_MAX_TOKENS.name(), Integer.toString(batched.maxPaddedTokens()));
        batchedEnv.put(WorkerConfig.BATCH_WINDOW_MS.name(), Long.toString(batched.windowMs()));
        batchedEnv.put(WorkerConfig.BATCH_GROUP_BY_LENGTH.name(), "true");
        batchedEnv.put(WorkerConfig.STORE_IN_FLIGHT.name(), "2");
        batchedEnv.put(WorkerConfig.UPLOAD_THREADS.name(), opt.getOrDefault("--upload-threads", "1"));
        batchedEnv.put(WorkerConfig.INFERENCE_THREADS.name(), "1");
        // batching alone against per-request: the segment cache is measured on its own workload (issue 5)
        batchedEnv.put(WorkerConfig.CACHE_REDIS_URL.name(), "");
        Map<String, String> perRequestEnv = new LinkedHashMap<>();
        perRequestEnv.put(WorkerConfig.MODE.name(), "per-request");
        perRequestEnv.put(WorkerConfig.INFERENCE_THREADS.name(), "1");

        if ("load".equals(opt.get("--only"))) {
            // the load-step section alone, repeated: both modes on fresh clusters, each repeat kept
            int repeats = Integer.parseInt(opt.getOrDefault("--repeats", "3"));
            o = new ClusterBench.Options(Double.parseDouble(opt.getOrDefault("--step-seconds", "" + o.stepSeconds())),
                    o.warmupJobs(), o.saturationJobs(), o.longEvery(), o.sloSeconds(), o.drainSeconds(), nice);
            Files.createDirectories(data);
            List<Results.LoadRepeat> done = new ArrayList<>();
            for (int r = 1; r <= repeats; r++) {
                say("load steps: repeat " + r + " of " + repeats);
                LoadSection section = loadSection(data.resolve("repeat-" + r), model, o, backlog, batched, batchedEnv,
                        perRequestEnv, quick, false);
                done.add(new Results.LoadRepeat(r, section.model(), section.modes()));
            }
            Results.LoadRun load = new Results.LoadRun(LocalDate.now(ZoneOffset.UTC).toString(), Machine.commit(root),
                    String.join(" ", args), o, done);
            Path file = out.resolve("bench/" + opt.getOrDefault("--label", "load") + ".json");
            Files.createDirectories(file.getParent());
            Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), load);
            say("wrote " + file);
            return;
        }
        if (opt.containsKey("--only")) {
            // one part again, merged into an earlier run's saved numbers (the report dates each part)
            Results.Run saved = Json.MAPPER.readValue(out.resolve("bench/results.json").toFile(), Results.Run.class);
            Files.createDirectories(data);
            Results.CacheRun cache = saved.cache();
            Results.BookRun book = saved.book();
            Results.ScalingRun scaling = saved.scaling();
            Results.VariantsRun variants = saved.variants();
            Results.SoakRun soak = saved.soak();
            switch (opt.get("--only")) {
                case "cache" -> cache = new CacheBench(data, model, cacheOpts, BenchMain::say).run(batchedEnv);
                case "book" -> book = new BookBench(data, model, bookOpts, BenchMain::say).run(batchedEnv);
                case "scaling" -> scaling = new ScalingBench(data, model, scalingOpts, BenchMain::say).run(batchedEnv,
                        new Workload(BACKLOG_SEED + 1).mix(scalingOpts.backlogJobs(), LONG_EVERY));
                case "variants" -> variants = new VariantsBench(data, model, variantOpts, BenchMain::say).run(batchedEnv);
                case "soak" -> soak = new SoakBench(data, model, soakOpts, BenchMain::say).run(soakEnv(batchedEnv));
                default -> {
                    System.err.println("--only takes: cache, book, scaling, variants, soak");
                    System.exit(2);
                }
            }
            write(new Results.Run(saved.date(), saved.command(), saved.machine(), saved.model(), saved.workload(),
                    saved.sloSeconds(), saved.engineCurve(), saved.modes(), saved.gpu(), cache, book, scaling, variants,
                    soak), out);
            return;
        }
        Files.createDirectories(data);
        LoadSection section = loadSection(data, model, o, backlog, batched, batchedEnv, perRequestEnv, quick, true);
        List<EngineBench.Point> curve = section.curve();
        String modelName = section.model();
        List<Results.Mode> modes = section.modes();

        Results.CacheRun cache = new CacheBench(data, model, cacheOpts, BenchMain::say).run(batchedEnv);
        Results.BookRun book = new BookBench(data, model, bookOpts, BenchMain::say).run(batchedEnv);
        Results.ScalingRun scaling = new ScalingBench(data, model, scalingOpts, BenchMain::say).run(batchedEnv,
                new Workload(BACKLOG_SEED + 1).mix(scalingOpts.backlogJobs(), LONG_EVERY));
        Results.VariantsRun variants = new VariantsBench(data, model, variantOpts, BenchMain::say).run(batchedEnv);
        Results.SoakRun soak = new SoakBench(data, model, soakOpts, BenchMain::say).run(soakEnv(batchedEnv));
        Results.Run run = new Results.Run(LocalDate.now(ZoneOffset.UTC).toString(),
                "deploy/bench/run-benchmarks" + (quick ? " --quick" : ""), Machine.describe(), modelName,
                "jobs of about 20 characters (short) and about 200 characters (long, 2-3 sentences), every "
                        + LONG_EVERY + "th job long; customer-service phrases with varying names and numbers",
                o.sloSeconds(), curve, modes, Machine.gpu(), cache, book, scaling, variants, soak);
        write(run, out);
    }

    /** What the load-step section measured: the engine's batch curve (when asked for), the model, both modes. */
    private record LoadSection(List<EngineBench.Point> curve, String model, List<Results.Mode> modes) {
    }

    /**
     * The raw engine's batch curve ({@code withCurve}), then the batched mode and the per-request mode on fresh
     * clusters under the same open-loop steps (fractions of the batched mode's backlog throughput).
     */
    private static LoadSection loadSection(Path data, Path model, ClusterBench.Options o, List<String> backlog,
                                           BatchPolicy batched, Map<String, String> batchedEnv,
                                           Map<String, String> perRequestEnv, boolean quick, boolean withCurve)
            throws Exception {
        say("raw engine: " + model + ", 1 intra-op thread, in a JVM of its own (warming up)");
        Files.createDirectories(data);
        List<EngineBench.Point> curve = List.of();
        List<Results.Mode> modes = new ArrayList<>();
        try (EngineProbe engine = EngineProbe.start(model, BACKLOG_SEED, o.saturationJobs(), LONG_EVERY,
                data.resolve("engine-probe.log"))) {
            String modelName = engine.model();
            double secs = quick ? 1 : 6;
            int rows = quick ? 8 : 64;
            if (withCurve) {
                curve = engine.curve(rows, secs);
                curve.forEach(p -> say(String.format("  batch %2d: %.1f audio-s/s, %.0f ms/call, padding %.0f%%",
                        p.batchSize(), p.audioSecondsPerSecond(), p.msPerCall(), 100 * p.paddingRatio())));
            }
            ClusterBench bench = new ClusterBench(data, model, o, BenchMain::say);
            // batched first: its backlog throughput sets the load steps both modes then run
            List<Double> rates = new ArrayList<>();
            modes.add(bench.run("batched", "micro-batches: " + batched + "; uploads of a batch overlap the next "
                            + "batch's inference (2 batches in flight, 1 upload at a time)", batchedEnv,
                    probe(engine, batched, batched.maxSize() * BatchAggregator.LOOKAHEAD_BATCHES, rows, secs * 1.5),
                    backlog, capacity -> {
                        for (double f : LOAD_FRACTIONS) {
                            rates.add(Math.max(0.1, Math.round(f * capacity * 10) / 10.0));
                        }
                        return rates;
                    }));
            modes.add(0, bench.run("per-request", "one segment per model call, no batching window, each segment "
                            + "uploaded, counted and committed before the next starts (the write-up's V22)", perRequestEnv,
                    probe(engine, BatchPolicy.perRequest(), 1, rows, secs * 1.5), backlog, capacity -> rates));
            return new LoadSection(curve, modelName, modes);
        }
    }

    /** The soak's worker: batched as the others, with the segment cache on (repeats are part of its mix). */
    private static Map<String, String> soakEnv(Map<String, String> batchedEnv) {
        Map<String, String> env = new LinkedHashMap<>(batchedEnv);
        env.remove(WorkerConfig.CACHE_REDIS_URL.name());
        return env;
    }

    private static void write(Results.Run run, Path out) throws java.io.IOException {
        Files.createDirectories(out.resolve("bench"));
        Path json = out.resolve("bench/results.json");
        if (!Files.exists(json) || !Json.MAPPER.readValue(json.toFile(), Results.Run.class).equals(run)) {
            Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), run);
        }
        BenchPlot.write(run, out.resolve("bench/load.png"));
        Files.writeString(out.resolve("BENCHMARKS.md"), BenchReport.render(run));
        say("wrote " + out.resolve("BENCHMARKS.md") + ", " + json + ", " + out.resolve("bench/load.png"));
    }

    private static java.util.function.Supplier<EngineBench.Point> probe(EngineProbe engine, BatchPolicy policy,
                                                                       int pollSize, int rows, double secs) {
        return () -> {
            try {
                return engine.policy(policy, pollSize, rows, secs);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
