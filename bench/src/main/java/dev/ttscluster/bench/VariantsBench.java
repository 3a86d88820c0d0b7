package dev.ttscluster.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ttscluster.common.contract.Json;
import dev.ttscluster.deploy.local.ChildJvm;
import dev.ttscluster.deploy.local.LocalCluster;
import dev.ttscluster.worker.config.WorkerConfig;
import dev.ttscluster.worker.inference.ModelManifest;
import java.io.IOException;
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
 * The bundle's exports side by side: for its default file and each manifest variant, the raw engine's
 * real-time factor at batch 1 and 8 in a JVM of its own, then a real worker on a fresh one-worker cluster running
 * that variant through a backlog of jobs (its throughput, and its resident memory after it). Quality figures (word
 * error, mel-cepstral distortion) need the teacher's audio, which the harness does not make: they come from the
 * bundle's own evaluation ({@code models/slt/eval.json}, written by {@code models/slt/tools/eval}) when it is of the
 * same bundle version.
 */
final class VariantsBench extends PartBench<VariantsBench.Options> {
    /** @param rows segments per batch-size measurement; @param seconds per measurement; @param backlogJobs per worker */
    record Options(int rows, double seconds, int warmupJobs, int backlogJobs, int nice) {}

    VariantsBench(Path dataRoot, Path model, Options opts, Consumer<String> log) {
        super(dataRoot, model, opts, log);
    }

    /** The variants a worker can run: its default file, then the manifest's others (an alias of the default is left out). */
    static List<String> variants(Path bundle) {
        ModelManifest m = ModelManifest.load(bundle);
        List<String> out = new ArrayList<>(List.of(ModelManifest.DEFAULT_VARIANT));
        m.variants().entrySet().stream()
                .filter(e -> !e.getValue().file().equals(m.file()))
                .map(Map.Entry::getKey)
                .sorted()
                .forEach(out::add);
        return out;
    }

    Results.VariantsRun run(Map<String, String> env) throws Exception {
        ModelManifest manifest = ModelManifest.load(model);
        JsonNode eval = evaluation(manifest);
        List<Results.VariantPoint> points = new ArrayList<>();
        for (String variant : variants(model)) {
            points.add(point(variant, env, eval));
        }
        String source = eval == null
                ? "no evaluation of bundle version " + manifest.version() + " in " + model.resolve("eval.json")
                        + ": run models/slt/tools/eval"
                : "models/slt/tools/eval of " + eval.path("date").asText() + ", "
                        + eval.path("sentences").asInt() + " held-out sentences per voice";
        return new Results.VariantsRun(
                LocalDate.now(ZoneOffset.UTC).toString(), manifest.version(), source, opts.backlogJobs(), points);
    }

    private JsonNode evaluation(ModelManifest manifest) throws IOException {
        Path f = model.resolve("eval.json");
        if (!Files.exists(f)) {
            return null;
        }
        JsonNode e = Json.MAPPER.readTree(f.toFile());
        return manifest.version().equals(e.path("version").asText()) ? e : null;
    }

    private Results.VariantPoint point(String variant, Map<String, String> env, JsonNode eval) throws Exception {
        log.accept("variants: " + variant + ": raw engine at batch 1 and 8");
        double rtf1;
        double rtf8;
        long engineRss;
        Path data = dataRoot.resolve("variant-" + variant);
        Files.createDirectories(data);
        try (EngineProbe engine = EngineProbe.start(
                model, variant, BenchMain.BACKLOG_SEED, 200, BenchMain.LONG_EVERY, data.resolve("engine-probe.log"))) {
            List<EngineBench.Point> curve = engine.curve(opts.rows(), opts.seconds());
            rtf1 = rtf(curve, 1);
            rtf8 = rtf(curve, 8);
            engineRss = engine.rssBytes();
        }
        Map<String, String> e = new LinkedHashMap<>(env);
        e.put(WorkerConfig.MODEL_VARIANT.name(), variant.equals(ModelManifest.DEFAULT_VARIANT) ? "" : variant);
        log.accept("variants: " + variant + ": a worker on a fresh cluster, " + opts.backlogJobs() + " jobs");
        long workerRss;
        double throughput;
        try (LocalCluster cluster = LocalCluster.start(data.resolve("cluster"), 0, 1, model, e);
                LoadRun load = new LoadRun(cluster.gatewayUrl(), cluster.createApiKey("bench"))) {
            ChildJvm worker = cluster.workers().get(0);
            load.burst(new Workload(99).mix(opts.warmupJobs(), BenchMain.LONG_EVERY), BenchMain.LONG_EVERY, 300);
            List<JobSample> samples = load.burst(
                    new Workload(BenchMain.BACKLOG_SEED + 2).mix(opts.backlogJobs(), BenchMain.LONG_EVERY),
                    BenchMain.LONG_EVERY,
                    600);
            throughput = JobSample.audioSeconds(samples) / JobSample.spanSeconds(samples);
            workerRss = Machine.rssBytes(worker.pid());
        }
        Map<String, Results.Quality> quality = new LinkedHashMap<>();
        String vocoder = ModelManifest.load(model, variant).vocoder();
        if (eval != null) {
            eval.path("voices").fields().forEachRemaining(v -> {
                JsonNode q = v.getValue().path("variants").path(variant);
                if (!q.isMissingNode()) {
                    quality.put(
                            v.getKey(),
                            new Results.Quality(
                                    q.path("wer").asDouble(),
                                    v.getValue().path("teacher_wer").asDouble(),
                                    q.path("mcd_db").asDouble()));
                }
            });
        }
        log.accept(String.format(
                "variants: %s (%s): RTF %.4f at batch 1, %.4f at batch 8; engine JVM %d MiB, worker %d "
                        + "MiB; %.1f audio-s/s end to end",
                variant, vocoder, rtf1, rtf8, engineRss >> 20, workerRss >> 20, throughput));
        return new Results.VariantPoint(variant, vocoder, rtf1, rtf8, engineRss, workerRss, throughput, quality);
    }

    private static double rtf(List<EngineBench.Point> curve, int batch) {
        return curve.stream()
                .filter(p -> p.batchSize() == batch)
                .findFirst()
                .map(EngineBench.Point::rtf)
                .orElse(Double.NaN);
    }
}
