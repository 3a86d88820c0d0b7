package dev.ttscluster.bench;

import dev.ttscluster.worker.inference.ModelManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark harness ({@code bench/run-benchmarks}): in one run on one machine and one model,
 * the raw engine batch curve, then the whole local cluster in batched mode and in per-request mode
 * under the same loads, then the other parts; writes docs/BENCHMARKS.md, docs/bench/results.json and
 * docs/bench/load.png ({@link ResultsStore}). What each part runs with is a {@link BenchPlan}.
 *
 * <p>Options ({@link BenchArgs#USAGE}): {@code --out DIR} (default docs), {@code --model DIR} (default models/slt),
 * {@code --data DIR} (servers' data and logs; default a temporary directory), {@code --quick} (short
 * steps and a small backlog: checks the harness, its numbers are not for the report), {@code --backlog N}
 * (jobs in the saturation backlog), {@code --warmup N}, {@code --step-seconds S}, {@code --nice N} (nice value of
 * everything but the worker, default 10; 0 leaves priorities alone), {@code --upload-threads N} (the batched
 * worker's, default 1), {@code --render results.json} (only the report and plot again, from a run's saved numbers),
 * {@code --only load} (the load-step part alone, {@code --repeats N} times, default 3, each repeat kept in
 * {@code docs/bench/LABEL.json}, {@code --label LABEL} default "load", and merged into the saved results.json as
 * the section "Load steps, repeated"), {@code --compare-load BEFORE.json AFTER.json} (two such files side by side,
 * merged into the saved results.json as the section "Load steps before and after"),
 * {@code --only cache|book|scaling|variants|soak} (only the segment cache's workload, interactive latency under a
 * book, scaling, the bundle's variants side by side or the memory soak, merged into the saved results.json of an
 * earlier run; the report says when, at which commit and on which bundle each part ran), {@code --soak-seconds N}
 * (default 600).
 *
 * <p>Exits with status 2 on a command line it cannot take; fails with the first error of a part otherwise.
 */
public final class BenchMain {
    static final int LONG_EVERY = 4;
    static final long BACKLOG_SEED = 7;
    static final int SEGMENT_MAX_CHARS = 300;
    static final double[] LOAD_FRACTIONS = {0.25, 0.5, 0.65, 0.8, 0.9, 1.0, 1.1, 1.25};

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        Path root = Path.of(System.getProperty("tts.repo.root", "."))
                .toAbsolutePath()
                .normalize();
        BenchArgs a;
        try {
            a = new BenchArgs(args, root);
        } catch (IllegalArgumentException e) {
            System.err.println("run-benchmarks: " + e.getMessage());
            System.err.println(BenchArgs.USAGE);
            System.exit(2);
            return;
        }
        ResultsStore store = new ResultsStore(a.path("--out", "docs"), BenchMain::say);
        if (a.get("--render").isPresent()) {
            // the report and plot again from a run's own numbers (after a change to how they are presented)
            store.write(ResultsStore.readRun(Path.of(a.get("--render").get())));
            return;
        }
        if (a.compareLoad().isPresent()) {
            List<Path> files = a.compareLoad().get();
            store.mergeLoad(
                    ResultsStore.readLoad(files.get(1)), ResultsStore.readLoad(files.get(0)), "load-comparison");
            return;
        }
        Path model = a.path("--model", "models/slt");
        Path data =
                a.get("--data").isPresent() ? Path.of(a.get("--data").get()) : Files.createTempDirectory("tts-bench-");
        Files.createDirectories(data);
        BenchPlan plan = BenchPlan.of(a);
        String only = a.get("--only").orElse("");
        switch (only) {
            case "" -> store.write(wholeRun(a, plan, model, data));
            case "load" -> repeatedLoad(a, plan, model, data, store);
            case "cache", "book", "scaling", "variants", "soak" -> {
                // one part again, merged into an earlier run's saved numbers (the report names when and what it ran)
                Results.Run saved = store.run()
                        .orElseThrow(() -> new IllegalStateException("--only " + only
                                + " merges into a saved results.json, and " + a.path("--out", "docs") + " has none"));
                Results.Provenance ran = provenance(root, bundle(model));
                store.write(
                        switch (only) {
                            case "cache" ->
                                saved.withParts(
                                        new CacheBench(data, model, plan.cache(), BenchMain::say)
                                                .run(plan.batchedEnv()),
                                        null,
                                        null,
                                        null,
                                        null,
                                        ran);
                            case "book" ->
                                saved.withParts(
                                        null,
                                        new BookBench(data, model, plan.book(), BenchMain::say).run(plan.batchedEnv()),
                                        null,
                                        null,
                                        null,
                                        ran);
                            case "scaling" ->
                                saved.withParts(
                                        null,
                                        null,
                                        new ScalingBench(data, model, plan.scaling(), BenchMain::say)
                                                .run(plan.batchedEnv(), plan.scalingBacklog()),
                                        null,
                                        null,
                                        ran);
                            case "variants" ->
                                saved.withParts(
                                        null,
                                        null,
                                        null,
                                        new VariantsBench(data, model, plan.variants(), BenchMain::say)
                                                .run(plan.batchedEnv()),
                                        null,
                                        ran);
                            default ->
                                saved.withParts(
                                        null,
                                        null,
                                        null,
                                        null,
                                        new SoakBench(data, model, plan.soak(), BenchMain::say).run(plan.soakEnv()),
                                        ran);
                        });
            }
            default -> {
                System.err.println("--only takes: load, cache, book, scaling, variants, soak");
                System.exit(2);
            }
        }
    }

    /** Every part, in order, on fresh clusters. */
    private static Results.Run wholeRun(BenchArgs a, BenchPlan plan, Path model, Path data) throws Exception {
        LoadPart.Measured load = new LoadPart(model, plan, a.quick(), BenchMain::say).run(data, true);
        Results.CacheRun cache = new CacheBench(data, model, plan.cache(), BenchMain::say).run(plan.batchedEnv());
        Results.BookRun book = new BookBench(data, model, plan.book(), BenchMain::say).run(plan.batchedEnv());
        Results.ScalingRun scaling = new ScalingBench(data, model, plan.scaling(), BenchMain::say)
                .run(plan.batchedEnv(), plan.scalingBacklog());
        Results.VariantsRun variants =
                new VariantsBench(data, model, plan.variants(), BenchMain::say).run(plan.batchedEnv());
        Results.SoakRun soak = new SoakBench(data, model, plan.soak(), BenchMain::say).run(plan.soakEnv());
        Results.Provenance ran = provenance(a.root(), load.model());
        Map<String, Results.Provenance> provenance = new LinkedHashMap<>();
        for (String part : List.of("run", "cache", "book", "scaling", "variants", "soak")) {
            provenance.put(part, ran);
        }
        return new Results.Run(
                ran.date(),
                "bench/run-benchmarks" + (a.quick() ? " --quick" : ""),
                Machine.describe(),
                load.model(),
                "jobs of about 20 characters (short) and about 200 characters (long, 2-3 sentences), every "
                        + LONG_EVERY + "th job long; customer-service phrases with varying names and numbers",
                plan.cluster().sloSeconds(),
                load.curve(),
                load.modes(),
                Machine.gpu(),
                cache,
                book,
                scaling,
                variants,
                soak,
                null,
                null,
                provenance);
    }

    /** The load-step part alone, repeated: both modes on fresh clusters each time, each repeat kept. */
    private static void repeatedLoad(BenchArgs a, BenchPlan plan, Path model, Path data, ResultsStore store)
            throws Exception {
        int repeats = a.getInt("--repeats", 3);
        LoadPart part = new LoadPart(model, plan, a.quick(), BenchMain::say);
        List<Results.LoadRepeat> done = new ArrayList<>();
        for (int r = 1; r <= repeats; r++) {
            say("load steps: repeat " + r + " of " + repeats);
            LoadPart.Measured m = part.run(data.resolve("repeat-" + r), false);
            done.add(new Results.LoadRepeat(r, m.model(), m.modes()));
        }
        Results.LoadRun load = new Results.LoadRun(
                LocalDate.now(ZoneOffset.UTC).toString(), Machine.commit(a.root()), a.given(), plan.cluster(), done);
        String label = a.get("--label", "load");
        store.writeLoad(load, label);
        store.mergeLoad(load, null, label);
    }

    private static Results.Provenance provenance(Path root, String bundle) {
        return new Results.Provenance(LocalDate.now(ZoneOffset.UTC).toString(), Machine.commit(root), bundle);
    }

    /** The bundle's name and version, as the engine names it. */
    private static String bundle(Path model) {
        ModelManifest m = ModelManifest.load(model);
        return m.name() + " v" + m.version();
    }

    static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
