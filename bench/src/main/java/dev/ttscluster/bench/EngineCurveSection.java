package dev.ttscluster.bench;

import static dev.ttscluster.bench.Md.f1;
import static dev.ttscluster.bench.Md.f2;
import static dev.ttscluster.bench.Md.f4;
import static dev.ttscluster.bench.Md.pct;

/**
 * The report's raw engine batch curve, with what batching buys inside the engine against end to end, from the
 * run's curve and its two modes. Stateless.
 */
final class EngineCurveSection {
    /** Best fixed batch over batch 1 below which the report says batching buys little inside the engine. */
    static final double LITTLE_GAIN = 1.2;

    private EngineCurveSection() {}

    /** Appends the section; fails with IndexOutOfBoundsException when the curve is empty. */
    static void render(StringBuilder md, Results.Run run) {
        Results.Mode per = Steps.mode(run.modes(), "per-request");
        Results.Mode bat = Steps.mode(run.modes(), "batched");
        md.append("## Raw engine batch curve (CPU)\n\nThe model alone through DJL, 1 intra-op thread, "
                        + "in a JVM of its own shaped like a worker's ")
                .append(
                        "(kept warm for the whole run; the same JVM measures the engine before and after each backlog), ")
                .append("on the backlog's segments in arrival order (no length grouping), fixed batch sizes:\n\n");
        md.append("| batch | audio-seconds/s | real-time factor | ms per call | padding |\n|---|---|---|---|---|\n");
        for (EngineBench.Point p : run.engineCurve()) {
            Md.row(
                    md,
                    Integer.toString(p.batchSize()),
                    f1(p.audioSecondsPerSecond()),
                    f4(p.rtf()),
                    f1(p.msPerCall()),
                    pct(p.paddingRatio()));
        }
        EngineBench.Point one = run.engineCurve().get(0);
        double bestGain = run.engineCurve().stream()
                        .mapToDouble(EngineBench.Point::audioSecondsPerSecond)
                        .max()
                        .orElse(0)
                / one.audioSecondsPerSecond();
        md.append("\nOn this CPU the best fixed batch size gives ")
                .append(f2(bestGain))
                .append("x the audio-seconds/s ")
                .append("of batch 1, and under the batched policy (length-grouped, ")
                .append(pct(bat.engine().paddingRatio()))
                .append(" padding) the engine gives ")
                .append(f2(bat.engine().audioSecondsPerSecond() / per.engine().audioSecondsPerSecond()))
                .append("x the per-request engine. ");
        if (bestGain < LITTLE_GAIN) {
            md.append(
                            "Batching buys little inside the engine on one CPU core: the Griffin-Lim vocoder's work grows with ")
                    .append("the audio, row by row, and unsorted batches lose to padding. ");
        } else {
            md.append("Batching pays inside the engine itself on this machine. ");
        }
        md.append("End to end, the batched mode also saves round trips per segment (one status lookup and one offset ")
                .append(
                        "commit per batch instead of per segment) and uploads a batch while the next one computes, so the ")
                .append("engine is busy ")
                .append(pct(bat.saturation().engineBusy()))
                .append(" of the time under a backlog ")
                .append("against ")
                .append(pct(per.saturation().engineBusy()))
                .append(" in per-request mode.\n\n");
    }
}
