package dev.ttscluster.bench;

import static dev.ttscluster.bench.Md.closed;
import static dev.ttscluster.bench.Md.f1;
import static dev.ttscluster.bench.Md.f2;
import static dev.ttscluster.bench.Md.f3;
import static dev.ttscluster.bench.Md.mb;
import static dev.ttscluster.bench.Md.ms;
import static dev.ttscluster.bench.Md.pct;
import static dev.ttscluster.bench.Md.row;
import static dev.ttscluster.bench.Md.s;

import java.util.OptionalDouble;

/**
 * The report's per-request against batched comparison: the headline table, its gates, what limits the batched mode,
 * the plot and where the CPU went under the backlog. Every figure comes from the run's two modes. Stateless.
 */
final class ModesSection {
    private ModesSection() {}

    /** Appends the section; fails with IllegalArgumentException when the run lacks either mode. */
    static void render(StringBuilder md, Results.Run run) {
        Results.Mode per = Steps.mode(run.modes(), "per-request");
        Results.Mode bat = Steps.mode(run.modes(), "batched");
        md.append("## Per-request (V22) against batched (V23), same machine, same model, same loads\n\n");
        md.append("| | per-request | batched |\n|---|---|---|\n");
        row(
                md,
                "max sustained load, jobs/s (p95 job latency <= " + f1(run.sloSeconds()) + " s, completions keep up)",
                f2(per.maxSustainedJobsPerSecond()),
                f2(bat.maxSustainedJobsPerSecond()));
        row(
                md,
                "throughput with a backlog, jobs/s",
                f2(per.saturation().jobsPerSecond()),
                f2(bat.saturation().jobsPerSecond()));
        row(
                md,
                "throughput with a backlog, audio-seconds/s",
                f1(per.saturation().audioSecondsPerSecond()),
                f1(bat.saturation().audioSecondsPerSecond()));
        row(
                md,
                "raw engine at the same batch policy, audio-seconds/s",
                f1(per.engine().audioSecondsPerSecond()),
                f1(bat.engine().audioSecondsPerSecond()));
        row(
                md,
                "**system efficiency** (end-to-end / raw engine)",
                f2(per.efficiency()),
                "**" + f2(bat.efficiency()) + "**");
        row(
                md,
                "engine busy during the backlog",
                pct(per.saturation().engineBusy()),
                pct(bat.saturation().engineBusy()));
        if (!per.steps().isEmpty() && !bat.steps().isEmpty()) {
            Results.Step lowP = Steps.finalSteps(per).get(0);
            Results.Step lowB = Steps.finalSteps(bat).get(0);
            String at = " at " + f2(lowP.offeredJobsPerSecond()) + " jobs/s";
            row(
                    md,
                    "first audio p50 / p95" + at,
                    s(lowP.firstAudioP50()) + " / " + s(lowP.firstAudioP95()),
                    s(lowB.firstAudioP50()) + " / " + s(lowB.firstAudioP95()));
            row(
                    md,
                    "job latency p50 / p95" + at,
                    s(lowP.latencyP50()) + " / " + s(lowP.latencyP95()),
                    s(lowB.latencyP50()) + " / " + s(lowB.latencyP95()));
        }
        OptionalDouble common = Steps.highestCommon(per, bat);
        common.ifPresent(rate -> {
            Results.Step sp = Steps.stepAt(per, rate);
            Results.Step sb = Steps.stepAt(bat, rate);
            row(
                    md,
                    "**p95 job latency at the highest common load** (" + f2(rate) + " jobs/s)",
                    s(sp.latencyP95()) + (sp.sustained() ? "" : " (ran away)"),
                    "**" + s(sb.latencyP95()) + "**" + (sb.sustained() ? "" : " (ran away)"));
            row(md, "first audio p95 at the highest common load", s(sp.firstAudioP95()), s(sb.firstAudioP95()));
        });
        row(md, "worker peak resident memory", mb(per.workerRssMb()), mb(bat.workerRssMb()));
        row(md, "gateway peak resident memory", mb(per.gatewayRssMb()), mb(bat.gatewayRssMb()));
        row(
                md,
                "segments per model call (worker metrics)",
                f2(per.worker().meanBatchSize()),
                f2(bat.worker().meanBatchSize()));
        row(
                md,
                "padding of batched phone slots",
                pct(per.worker().paddingRatio()),
                pct(bat.worker().paddingRatio()));
        row(
                md,
                "mean wait in the batcher",
                ms(per.worker().meanBatchWaitMs()),
                ms(bat.worker().meanBatchWaitMs()));
        row(
                md,
                "mean inference per batch",
                ms(per.worker().meanInferenceMs()),
                ms(bat.worker().meanInferenceMs()));
        row(
                md,
                "mean time to make a batch durable (S3, Redis)",
                ms(per.worker().meanStoreMs()),
                ms(bat.worker().meanStoreMs()));
        row(
                md,
                "batches closed by size / budget / window",
                closed(per.worker().closedBy()),
                closed(bat.worker().closedBy()));
        md.append('\n');

        gates(md, per, bat, common);
        limits(md, bat);
        md.append("![throughput and latency against offered load](bench/load.png)\n\n");
        cpu(md, per, bat);
    }

    private static void gates(StringBuilder md, Results.Mode per, Results.Mode bat, OptionalDouble common) {
        md.append("**Gates** (batching): system efficiency of the batched mode >= 0.9: **")
                .append(bat.efficiency() >= 0.9 ? "met" : "NOT met")
                .append("** (")
                .append(f2(bat.efficiency()))
                .append("); batched ahead on sustained jobs/s: **")
                .append(bat.maxSustainedJobsPerSecond() > per.maxSustainedJobsPerSecond() ? "met" : "NOT met")
                .append("** (")
                .append(f2(bat.maxSustainedJobsPerSecond()))
                .append(" vs ")
                .append(f2(per.maxSustainedJobsPerSecond()))
                .append(")");
        common.ifPresent(rate -> {
            double b = Steps.stepAt(bat, rate).latencyP95();
            double p = Steps.stepAt(per, rate).latencyP95();
            md.append("; batched ahead on p95 at the highest common load: **")
                    .append(b < p ? "met" : "NOT met")
                    .append("** (")
                    .append(s(b))
                    .append(" vs ")
                    .append(s(p))
                    .append(")");
        });
        md.append(".\n\n");
    }

    /** Where the batched mode's end-to-end throughput falls short of the engine alone, from the run's numbers. */
    private static void limits(StringBuilder md, Results.Mode bat) {
        Results.Saturation sat = bat.saturation();
        double inCluster = sat.engineBusy() > 0 ? sat.audioSecondsPerSecond() / sat.engineBusy() : Double.NaN;
        double alone = bat.engine().audioSecondsPerSecond();
        double workerCpu = sat.cpuPerAudioSecond().getOrDefault("worker", Double.NaN)
                * sat.audioSecondsPerSecond()
                / sat.engineBusy();
        md.append(
                        "**What limits the batched mode's efficiency here.** Under the backlog the worker kept its engine busy ")
                .append(pct(sat.engineBusy()))
                .append(" of the time, so the worker's own pipeline (batching, ")
                .append("overlapped uploads, asynchronous commits) loses ")
                .append(pct(1 - sat.engineBusy()))
                .append(" of the engine's time. While busy, the engine produced ")
                .append(f1(inCluster))
                .append(" audio-seconds/s inside the cluster against ")
                .append(f1(alone))
                .append(" alone (")
                .append(pct(1 - inCluster / alone))
                .append(" slower). The worker process used ")
                .append(f2(workerCpu))
                .append(" CPU-seconds per second of inference, so its inference thread was rarely waiting for a core: ")
                .append(
                        "it ran slower on the core it had, beside the S3 server, Kafka, Redis, the gateway and the load ")
                .append("generator on the machine's other core (shared caches and memory bandwidth; the machine was ")
                .append(pct(sat.machineBusy()))
                .append(" busy, see the CPU table). ")
                .append("What would move it: workers on nodes of their own, as in production (the S3 server and Kafka ")
                .append("alone cost ")
                .append(f3(sat.cpuPerAudioSecond().getOrDefault("kafka+s3+load generator", Double.NaN)))
                .append(" CPU-seconds per audio-second here), a GPU for the model, and fewer S3 round trips per ")
                .append("segment (segments of a job that finish in one batch could skip their own objects).\n\n");
    }

    private static void cpu(StringBuilder md, Results.Mode per, Results.Mode bat) {
        md.append("## Where the CPU went under the backlog\n\nCPU seconds per second of audio produced, by process, ")
                .append("while each mode worked through the backlog (from /proc; the worker's share includes its ")
                .append("inference thread). Every process but the worker ran at a lower CPU priority (nice), as it ")
                .append(
                        "would run on other nodes in a real cluster; nothing was taken away from it, it only yields.\n\n");
        md.append("| process | per-request | batched |\n|---|---|---|\n");
        for (String proc : bat.saturation().cpuPerAudioSecond().keySet()) {
            row(
                    md,
                    proc,
                    f3(per.saturation().cpuPerAudioSecond().getOrDefault(proc, Double.NaN)),
                    f3(bat.saturation().cpuPerAudioSecond().getOrDefault(proc, Double.NaN)));
        }
        row(
                md,
                "whole machine busy",
                pct(per.saturation().machineBusy()),
                pct(bat.saturation().machineBusy()));
        md.append('\n');
    }
}
