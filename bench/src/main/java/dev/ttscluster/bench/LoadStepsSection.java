package dev.ttscluster.bench;

import static dev.ttscluster.bench.Md.f1;
import static dev.ttscluster.bench.Md.f2;
import static dev.ttscluster.bench.Md.s;

import java.util.List;

/** The report's open-loop load steps of one run, a table per mode, every attempt listed. Stateless. */
final class LoadStepsSection {
    private LoadStepsSection() {}

    /** Appends the section for {@code modes} (per-request, then batched). */
    static void render(StringBuilder md, double sloSeconds, List<Results.Mode> modes) {
        md.append("## Load steps\n\n");
        rule(md, sloSeconds);
        for (Results.Mode m : modes) {
            md.append("### ")
                    .append(m.name())
                    .append("\n\n")
                    .append(m.description())
                    .append(".\n\n");
            md.append(
                    "| offered jobs/s | jobs | done/s | audio-s/s | p50 | p95 | p99 | first audio p50 | first audio p95 "
                            + "| short jobs p95 | sustained |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (Results.Step st : m.steps()) {
                Md.row(
                        md,
                        f2(st.offeredJobsPerSecond()),
                        Integer.toString(st.jobs()),
                        f2(st.completedJobsPerSecond()),
                        f1(st.audioSecondsPerSecond()),
                        s(st.latencyP50()),
                        s(st.latencyP95()),
                        s(st.latencyP99()),
                        s(st.firstAudioP50()),
                        s(st.firstAudioP95()),
                        s(st.shortP95()),
                        (st.sustained() ? "yes" : "no") + (st.attempt() > 1 ? " (2nd attempt)" : ""));
            }
            md.append('\n');
        }
    }

    /** How the steps are run and judged (shared with the repeated load steps). */
    static void rule(StringBuilder md, double sloSeconds) {
        md.append("Open-loop Poisson arrivals, ")
                .append("each step the same length; a step ")
                .append(
                        "counts as sustained when every job succeeded, completions per second reached at least 90% of the ")
                .append("arrivals per second actually drawn and the p95 job latency stayed within ")
                .append(f1(sloSeconds))
                .append(" s. Load stops rising after the first step that is not sustained. ")
                .append(
                        "A step that is not sustained is run once more (a second attempt, listed too) before load stops "
                                + "rising, so that a transient slowdown of this shared machine is not taken for latency running "
                                + "away. The steps are fractions of the batched mode's backlog throughput; both modes get the same "
                                + "ones and the same rule.\n\n");
    }
}
