package dev.ttscluster.bench;

import static dev.ttscluster.bench.Md.f1;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * The report's "Load steps before and after" section: two repeated load-step runs ({@code --only load}, e.g. before
 * and after a change) side by side, each figure as median [min-max] over its repeats, the ratio of the medians and a
 * verdict per figure. A figure is "no worse" when the after median lies within the before range or is better; else
 * "worse by X%" of the before median. Stateless.
 */
final class LoadComparisonSection {
    private LoadComparisonSection() {}

    /**
     * One compared figure.
     *
     * @param label what it is
     * @param before its spread before
     * @param after its spread after
     * @param higherIsBetter its direction
     * @param format how one value prints
     */
    record Row(String label, Spread before, Spread after, boolean higherIsBetter, DoubleFunction<String> format) {
        /** after median / before median. */
        double ratio() {
            return after.median() / before.median();
        }

        /** Whether the after median is within the before range or better than the before median. */
        boolean noWorse() {
            double a = after.median();
            double b = before.median();
            return before.contains(a) || (higherIsBetter ? a >= b : a <= b);
        }

        /** "no worse", "worse by X%", or "-" when either side has no value. */
        String verdict() {
            if (after.repeats() == 0 || before.repeats() == 0) {
                return "-";
            }
            return noWorse()
                    ? "no worse"
                    : "worse by " + String.format(Locale.ROOT, "%.1f%%", 100 * Math.abs(ratio() - 1));
        }
    }

    /** Every compared figure: each mode's headline figures, then its latencies at the steps both runs share. */
    static List<Row> rows(Results.LoadRun before, Results.LoadRun after) {
        LoadRepeats b = new LoadRepeats(before);
        LoadRepeats a = new LoadRepeats(after);
        int steps = Math.min(b.commonSteps(), a.commonSteps());
        List<Row> rows = new ArrayList<>();
        for (String mode : LoadRepeats.MODES) {
            for (LoadRepeats.Figure f : LoadRepeats.HEADLINE) {
                rows.add(new Row(
                        mode + ": " + f.label(),
                        b.spread(mode, f.value()),
                        a.spread(mode, f.value()),
                        f.higherIsBetter(),
                        f.format()));
            }
            for (int k = 0; k < steps; k++) {
                for (LoadRepeats.StepFigure f : LoadRepeats.STEP_LATENCIES) {
                    rows.add(new Row(
                            mode + ": " + f.label() + " at " + LoadRepeats.stepName(k) + ", s",
                            b.step(mode, k, f.value()),
                            a.step(mode, k, f.value()),
                            false,
                            Md::f3));
                }
            }
        }
        return rows;
    }

    /** Appends the section comparing {@code before} with {@code after}. */
    static void render(StringBuilder md, Results.LoadRun before, Results.LoadRun after) {
        LoadRepeats b = new LoadRepeats(before);
        LoadRepeats a = new LoadRepeats(after);
        md.append("## Load steps before and after ").append(after.commit()).append("\n\n");
        md.append("Before: run ")
                .append(before.date())
                .append(" at commit ")
                .append(before.commit())
                .append(", bundle ")
                .append(b.bundles())
                .append(", ")
                .append(Md.repeats(before.repeats().size()))
                .append(". After: run ")
                .append(after.date())
                .append(" at commit ")
                .append(after.commit())
                .append(", bundle ")
                .append(a.bundles())
                .append(", ")
                .append(Md.repeats(after.repeats().size()))
                .append(".");
        if (!b.bundles().equals(a.bundles())) {
            md.append(" **The bundles differ**, so the change is not the only difference.");
        }
        if (!before.options().equals(after.options())) {
            md.append(" **The runs' options differ** (before ")
                    .append(options(before.options()))
                    .append("; after ")
                    .append(options(after.options()))
                    .append(").");
        }
        md.append(" Each figure is the median over the repeats with its range [min-max]; after/before is the ratio of ")
                .append("the medians. A figure is no worse when its after median lies within the before range or is ")
                .append("better; otherwise the verdict gives how much worse the after median is than the before one. ")
                .append("Steps are matched by their place in the load ladder.\n\n");
        Md.header(md, "figure", "before", "after", "after/before", "verdict");
        List<Row> rows = rows(before, after);
        for (Row r : rows) {
            Md.row(
                    md,
                    r.label(),
                    r.before().format(r.format()),
                    r.after().format(r.format()),
                    Md.f2(r.ratio()) + "x",
                    r.verdict().startsWith("worse") ? "**" + r.verdict() + "**" : r.verdict());
        }
        List<String> worse = rows.stream()
                .filter(r -> r.verdict().startsWith("worse"))
                .map(r -> r.label() + " (" + r.verdict() + ")")
                .toList();
        md.append("\n**Verdict**: ");
        if (worse.isEmpty()) {
            md.append("every figure no worse after ")
                    .append(after.commit())
                    .append(" (")
                    .append(rows.size())
                    .append(" figures).\n\n");
        } else {
            md.append(worse.size())
                    .append(" of ")
                    .append(rows.size())
                    .append(" figures worse after ")
                    .append(after.commit())
                    .append(": ")
                    .append(String.join("; ", worse))
                    .append(".\n\n");
        }
    }

    private static String options(ClusterBench.Options o) {
        return "steps of " + f1(o.stepSeconds()) + " s, " + o.warmupJobs() + " warm-up jobs, a backlog of "
                + o.saturationJobs() + " jobs, p95 limit " + f1(o.sloSeconds()) + " s, nice " + o.nice();
    }
}
