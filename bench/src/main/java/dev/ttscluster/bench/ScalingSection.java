package dev.ttscluster.bench;

import static dev.ttscluster.bench.Md.f1;
import static dev.ttscluster.bench.Md.f2;
import static dev.ttscluster.bench.Md.pct;

/**
 * The report's scaling section: the same backlog on 1 and 2 workers, the throughput ratio and its gate, and when the
 * gate is missed, where the cores went, from the scaling run alone. Stateless.
 */
final class ScalingSection {
    /** Throughput ratio of 2 workers over 1 that the scaling gate asks for. */
    static final double GATE = 1.8;

    private ScalingSection() {}

    /** Appends the section; fails with IndexOutOfBoundsException when the run has no point. */
    static void render(StringBuilder md, Results.ScalingRun sc, Results.Provenance ran, String cores) {
        md.append("## Scaling: 1 worker against 2\n\n");
        md.append(Md.ran(sc.date(), ran))
                .append(". The same backlog of ")
                .append(sc.jobs())
                .append(" jobs (every ")
                .append(BenchMain.LONG_EVERY)
                .append("th long) on a fresh cluster with 1 worker process and then with 2, each ")
                .append(
                        "worker with one inference thread, batched mode as above, no segment cache; throughput from the first ")
                .append(
                        "submission to the last job done. Everything runs on this one machine: the servers, the gateway ")
                .append("and the load generator share its cores with the workers (at lower priority).\n\n");
        md.append(
                        "| workers | jobs done | seconds | jobs/s | audio-s/s | worker cores used | machine busy | segments per worker |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        for (Results.ScalingPoint p : sc.points()) {
            md.append("| ")
                    .append(p.workers())
                    .append(" | ")
                    .append(p.saturation().succeeded())
                    .append(" / ")
                    .append(p.saturation().jobs())
                    .append(" | ")
                    .append(f1(p.saturation().seconds()))
                    .append(" | ")
                    .append(f2(p.saturation().jobsPerSecond()))
                    .append(" | ")
                    .append(f1(p.saturation().audioSecondsPerSecond()))
                    .append(" | ")
                    .append(f2(p.workerCores()))
                    .append(" | ")
                    .append(pct(p.saturation().machineBusy()))
                    .append(" | ")
                    .append(counts(p))
                    .append(" |\n");
        }
        double r = sc.ratio();
        Results.ScalingPoint one = sc.points().get(0);
        Results.ScalingPoint two = sc.points().get(sc.points().size() - 1);
        md.append("\n**Throughput ratio, 2 workers / 1: ")
                .append(String.format("%.2fx", r))
                .append("** (gate: at least ")
                .append(f1(GATE))
                .append("x: ")
                .append(r >= GATE ? "**met**" : "**not met**")
                .append(").");
        if (r < GATE) {
            md.append(" The profiled cause, from these numbers: with one worker the machine was ")
                    .append(pct(one.saturation().machineBusy()))
                    .append(" busy and the worker used ")
                    .append(f2(one.workerCores()))
                    .append(" cores; with two, ")
                    .append("the machine was ")
                    .append(pct(two.saturation().machineBusy()))
                    .append(" busy and the workers together used ")
                    .append(f2(two.workerCores()))
                    .append(" cores of this machine's ")
                    .append(cores)
                    .append(
                            ". A second worker can only add what the machine has left after the first worker, the gateway, ")
                    .append(
                            "Kafka, Redis, the S3 server and the load generator. On nodes of their own (one worker per node or ")
                    .append(
                            "GPU, the servers elsewhere, as `deploy/k8s` lays out) each worker brings its own cores and the ratio ")
                    .append(
                            "is bounded by the partitions (12 per lane) and the shared servers instead. Per core the workers ")
                    .append("actually got, throughput went from ")
                    .append(f1(one.saturation().audioSecondsPerSecond() / one.workerCores()))
                    .append(" to ")
                    .append(f1(two.saturation().audioSecondsPerSecond() / two.workerCores()))
                    .append(" audio-s/s per worker core (")
                    .append(pct(two.saturation().audioSecondsPerSecond()
                            / two.workerCores()
                            / (one.saturation().audioSecondsPerSecond() / one.workerCores())))
                    .append(" kept), and the ")
                    .append(
                            splitEvenly(two)
                                    ? "segments split evenly between the two workers, so what is missing is cores, "
                                            + "not work for them."
                                    : "segments split unevenly between the workers " + counts(two)
                                            + ", so part of what is missing is work for the second worker, not only cores.");
        }
        md.append("\n\n");
    }

    /** Whether the busiest worker handled at most a quarter more segments than the least busy one. */
    static boolean splitEvenly(Results.ScalingPoint p) {
        double lo = p.segmentsPerWorker().stream()
                .mapToDouble(Double::doubleValue)
                .min()
                .orElse(0);
        double hi = p.segmentsPerWorker().stream()
                .mapToDouble(Double::doubleValue)
                .max()
                .orElse(0);
        return hi > 0 && lo * 1.25 >= hi;
    }

    private static java.util.List<String> counts(Results.ScalingPoint p) {
        return p.segmentsPerWorker().stream()
                .map(d -> Long.toString(Math.round(d)))
                .toList();
    }
}
