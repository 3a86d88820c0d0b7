package dev.ttscluster.bench;

import java.util.List;
import java.util.function.DoubleFunction;
import java.util.function.ToDoubleFunction;

/**
 * The figures of a repeated load-step run ({@code --only load}) over its repeats: each headline figure of a mode and
 * each latency at a load step as a {@link Spread}. Steps are matched by their place in the load ladder (the k-th
 * rate a repeat offered, a fixed fraction of that repeat's batched backlog throughput), since the rates themselves
 * follow each repeat's throughput. Immutable; fails with IllegalArgumentException when a repeat lacks a mode.
 */
final class LoadRepeats {
    /** The modes every repeat runs, in the report's order. */
    static final List<String> MODES = List.of("per-request", "batched");

    /**
     * A mode's figure the report takes the spread of.
     *
     * @param label what the row says
     * @param higherIsBetter whether a larger value is better (throughput) or worse (latency)
     * @param format how one value prints
     * @param value the figure of one repeat's mode
     */
    record Figure(
            String label,
            boolean higherIsBetter,
            DoubleFunction<String> format,
            ToDoubleFunction<Results.Mode> value) {}

    /**
     * A latency at a load step.
     *
     * @param label what the column or row says
     * @param value the figure of the step (its last attempt)
     */
    record StepFigure(String label, ToDoubleFunction<Results.Step> value) {}

    /** The headline figures of a mode. */
    static final List<Figure> HEADLINE = List.of(
            new Figure("throughput with a backlog, jobs/s", true, Md::f2, m -> m.saturation()
                    .jobsPerSecond()),
            new Figure("throughput with a backlog, audio-seconds/s", true, Md::f1, m -> m.saturation()
                    .audioSecondsPerSecond()),
            new Figure("system efficiency (end-to-end / raw engine)", true, Md::f2, Results.Mode::efficiency),
            new Figure("max sustained load, jobs/s", true, Md::f2, Results.Mode::maxSustainedJobsPerSecond));

    /** The latencies reported at each step, seconds (lower is better). */
    static final List<StepFigure> STEP_LATENCIES = List.of(
            new StepFigure("job latency p50", Results.Step::latencyP50),
            new StepFigure("job latency p95", Results.Step::latencyP95),
            new StepFigure("first audio p95", Results.Step::firstAudioP95));

    private final Results.LoadRun run;

    LoadRepeats(Results.LoadRun run) {
        this.run = run;
    }

    /** The spread of {@code figure} of mode {@code mode} over the repeats. */
    Spread spread(String mode, ToDoubleFunction<Results.Mode> figure) {
        return Spread.of(run.repeats().stream()
                .mapToDouble(r -> figure.applyAsDouble(Steps.mode(r.modes(), mode)))
                .toArray());
    }

    /** How many steps of the ladder both modes ran in every repeat (the first that many). */
    int commonSteps() {
        return run.repeats().stream()
                .flatMap(r -> MODES.stream().map(m -> Steps.finalSteps(Steps.mode(r.modes(), m))))
                .mapToInt(List::size)
                .min()
                .orElse(0);
    }

    /** The spread of {@code figure} at the {@code k}-th step (0-based) of mode {@code mode}. */
    Spread step(String mode, int k, ToDoubleFunction<Results.Step> figure) {
        return Spread.of(run.repeats().stream()
                .mapToDouble(r -> figure.applyAsDouble(
                        Steps.finalSteps(Steps.mode(r.modes(), mode)).get(k)))
                .toArray());
    }

    /** The offered rates of the {@code k}-th step over the repeats (the same for both modes). */
    Spread offered(int k) {
        return step("batched", k, Results.Step::offeredJobsPerSecond);
    }

    /** The bundles the repeats ran, "a" or "a (repeat 1), b (repeat 2)" when they differ. */
    String bundles() {
        List<String> models =
                run.repeats().stream().map(Results.LoadRepeat::model).distinct().toList();
        if (models.size() <= 1) {
            return models.isEmpty() ? "-" : models.get(0);
        }
        return String.join(
                ", ",
                run.repeats().stream()
                        .map(r -> r.model() + " (repeat " + r.repeat() + ")")
                        .toList());
    }

    /** "step k (f% of the batched backlog throughput)", 0-based {@code k}. */
    static String stepName(int k) {
        double[] fractions = BenchMain.LOAD_FRACTIONS;
        return "step " + (k + 1) + (k < fractions.length ? " (" + Md.pct(fractions[k]) + ")" : "");
    }
}
