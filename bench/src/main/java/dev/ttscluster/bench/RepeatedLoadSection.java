package dev.ttscluster.bench;

import static dev.ttscluster.bench.Md.f1;

import java.util.ArrayList;
import java.util.List;

/**
 * The report's "Load steps, repeated" section: the load-step part run alone several times ({@code --only load}),
 * each headline figure and each step's latencies as median [min-max] over the repeats, naming the commit, bundle
 * and day it measured. Stateless; fails with IllegalArgumentException when a repeat lacks a mode.
 */
final class RepeatedLoadSection {
    private RepeatedLoadSection() {}

    /** Appends the section for {@code load}. */
    static void render(StringBuilder md, Results.LoadRun load) {
        LoadRepeats r = new LoadRepeats(load);
        ClusterBench.Options o = load.options();
        md.append("## Load steps, repeated\n\n");
        md.append("Run ")
                .append(load.date())
                .append(" at commit ")
                .append(load.commit())
                .append(", bundle ")
                .append(r.bundles())
                .append(": the load steps alone (`bench/run-benchmarks ")
                .append(load.arguments())
                .append("`), ")
                .append(Md.repeats(load.repeats().size()))
                .append(", each both modes on fresh clusters: ")
                .append(o.warmupJobs())
                .append(" warm-up jobs, a backlog of ")
                .append(o.saturationJobs())
                .append(" jobs, then open-loop steps of ")
                .append(f1(o.stepSeconds()))
                .append(" s until one is not sustained ")
                .append("(sustained: every job succeeded, completions kept up with the arrivals, p95 within ")
                .append(f1(o.sloSeconds()))
                .append(" s). Each figure is the median over the repeats with its range ")
                .append("[min-max].\n\n");
        md.append("| | ").append(String.join(" | ", LoadRepeats.MODES)).append(" |\n|---|---|---|\n");
        for (LoadRepeats.Figure f : LoadRepeats.HEADLINE) {
            List<String> cells = new ArrayList<>(List.of(f.label()));
            LoadRepeats.MODES.forEach(m -> cells.add(r.spread(m, f.value()).format(f.format())));
            Md.row(md, cells.toArray(String[]::new));
        }
        md.append('\n');
        int steps = r.commonSteps();
        if (steps == 0) {
            md.append("No load step was run by both modes in every repeat.\n\n");
            return;
        }
        md.append("Latencies in seconds at each load step both modes ran in every repeat. A step is a fraction of its ")
                .append(
                        "repeat's batched backlog throughput, so its offered rate follows that repeat's throughput:\n\n");
        List<String> head = new ArrayList<>(List.of("step", "offered jobs/s"));
        for (String m : LoadRepeats.MODES) {
            LoadRepeats.STEP_LATENCIES.forEach(f -> head.add(m + " " + f.label()));
        }
        Md.header(md, head.toArray(String[]::new));
        for (int k = 0; k < steps; k++) {
            List<String> cells = new ArrayList<>(
                    List.of(LoadRepeats.stepName(k), r.offered(k).format(Md::f2)));
            for (String m : LoadRepeats.MODES) {
                int step = k;
                LoadRepeats.STEP_LATENCIES.forEach(
                        f -> cells.add(r.step(m, step, f.value()).format(Md::f3)));
            }
            Md.row(md, cells.toArray(String[]::new));
        }
        md.append('\n');
    }
}
