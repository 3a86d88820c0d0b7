package dev.ttscluster.bench;

import dev.ttscluster.worker.batch.BatchAggregator;
import dev.ttscluster.worker.batch.BatchPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The load-step part of the harness: the raw engine's batch curve (when asked for) in an engine-only JVM, then the
 * batched mode and the per-request mode on fresh clusters under the same open-loop steps, fractions
 * ({@link BenchMain#LOAD_FRACTIONS}) of the batched mode's backlog throughput. The same engine JVM measures the
 * engine under each mode's batch policy before and after its backlog. Not thread-safe: one run at a time;
 * {@link #run} fails with the first error of a cluster or of the engine JVM.
 */
final class LoadPart {
    /**
     * What the part measured.
     *
     * @param curve the engine's batch curve (empty when not asked for)
     * @param model the bundle's name and version
     * @param modes per-request, then batched
     */
    record Measured(List<EngineBench.Point> curve, String model, List<Results.Mode> modes) {}

    private final Path model;
    private final BenchPlan plan;
    private final boolean quick;
    private final Consumer<String> log;

    LoadPart(Path model, BenchPlan plan, boolean quick, Consumer<String> log) {
        this.model = model;
        this.plan = plan;
        this.quick = quick;
        this.log = log;
    }

    /** Runs the part with the servers' data and logs under {@code data}. */
    Measured run(Path data, boolean withCurve) throws Exception {
        log.accept("raw engine: " + model + ", 1 intra-op thread, in a JVM of its own (warming up)");
        Files.createDirectories(data);
        ClusterBench.Options o = plan.cluster();
        BatchPolicy batched = plan.batched();
        List<String> backlog = plan.backlog();
        try (EngineProbe engine = EngineProbe.start(
                model,
                BenchMain.BACKLOG_SEED,
                o.saturationJobs(),
                BenchMain.LONG_EVERY,
                data.resolve("engine-probe.log"))) {
            double secs = quick ? 1 : 6;
            int rows = quick ? 8 : 64;
            List<EngineBench.Point> curve = List.of();
            if (withCurve) {
                curve = engine.curve(rows, secs);
                curve.forEach(p -> log.accept(String.format(
                        "  batch %2d: %.1f audio-s/s, %.0f ms/call, padding %.0f%%",
                        p.batchSize(), p.audioSecondsPerSecond(), p.msPerCall(), 100 * p.paddingRatio())));
            }
            ClusterBench bench = new ClusterBench(data, model, o, log);
            // batched first: its backlog throughput sets the load steps both modes then run
            List<Double> rates = new ArrayList<>();
            Results.Mode bat = bench.run(
                    "batched",
                    "micro-batches: " + batched + "; uploads of a batch overlap the next "
                            + "batch's inference (2 batches in flight, 1 upload at a time)",
                    plan.batchedEnv(),
                    probe(engine, batched, batched.maxSize() * BatchAggregator.LOOKAHEAD_BATCHES, rows, secs * 1.5),
                    backlog,
                    capacity -> {
                        rates.addAll(rates(capacity));
                        return rates;
                    });
            Results.Mode per = bench.run(
                    "per-request",
                    "one segment per model call, no batching window, each segment "
                            + "uploaded, counted and committed before the next starts (the write-up's V22)",
                    plan.perRequestEnv(),
                    probe(engine, BatchPolicy.perRequest(), 1, rows, secs * 1.5),
                    backlog,
                    capacity -> rates);
            return new Measured(curve, engine.model(), List.of(per, bat));
        }
    }

    /** The open-loop rates for a batched backlog throughput of {@code capacity} jobs/s: at least 0.1, to 0.1. */
    static List<Double> rates(double capacity) {
        List<Double> rates = new ArrayList<>();
        for (double f : BenchMain.LOAD_FRACTIONS) {
            rates.add(Math.max(0.1, Math.round(f * capacity * 10) / 10.0));
        }
        return rates;
    }

    private static Supplier<EngineBench.Point> probe(
            EngineProbe engine, BatchPolicy policy, int pollSize, int rows, double secs) {
        return () -> {
            try {
                return engine.policy(policy, pollSize, rows, secs);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}
