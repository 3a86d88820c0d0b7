package dev.ttscluster.bench;

import static dev.ttscluster.bench.Md.f1;
import static dev.ttscluster.bench.Md.f2;
import static dev.ttscluster.bench.Md.f4;
import static dev.ttscluster.bench.Md.signed;

/**
 * The report's model variants section: each export of the bundle side by side, and which is slower or worse than
 * the default, from the variants run alone. Stateless.
 */
final class VariantsSection {
    private VariantsSection() {}

    /** Appends the section; fails with IndexOutOfBoundsException when the run has no variant. */
    static void render(StringBuilder md, Results.VariantsRun v, Results.Provenance ran) {
        md.append("## Model variants\n\n");
        // the provenance names the bundle with its version; runs saved without one name the version alone
        md.append(Md.ran(v.date(), ran))
                .append(ran == null ? ", bundle version " + v.bundleVersion() : "")
                .append(". Each export of ")
                .append(
                        "the bundle a worker can run (`TTS_WORKER_MODEL_VARIANT`): the raw engine's real-time factor (engine ")
                .append(
                        "seconds per second of audio, 1 intra-op thread, warm, the bench workload's segments in arrival order) at ")
                .append(
                        "batch 1 and 8 in a JVM of its own, and the resident memory of that JVM; then a real worker running it on a ")
                .append("fresh one-worker cluster (batched mode, no cache) through a backlog of ")
                .append(v.backlogJobs())
                .append(
                        " jobs: its end-to-end throughput and its resident memory after. Word error (pocketsphinx) and ")
                .append("mel-cepstral distortion against the teacher's audio are from ")
                .append(v.qualitySource())
                .append(" (teacher's own word error in brackets).\n\n");
        md.append("| variant | vocoder | RTF batch 1 | RTF batch 8 | engine JVM RSS | worker RSS | worker audio-s/s "
                        + "| quality by voice: WER (teacher), MCD |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        Results.VariantPoint base = v.points().get(0);
        for (Results.VariantPoint p : v.points()) {
            StringBuilder q = new StringBuilder();
            p.quality().forEach((voice, x) -> q.append(q.length() == 0 ? "" : "; ")
                    .append(voice)
                    .append(": ")
                    .append(f1(x.wer()))
                    .append("% (")
                    .append(f1(x.teacherWer()))
                    .append("%), ")
                    .append(f2(x.mcdDb()))
                    .append(" dB"));
            md.append("| ")
                    .append(p.variant())
                    .append(" | ")
                    .append(p.vocoder())
                    .append(" | ")
                    .append(f4(p.rtfBatch1()))
                    .append(" | ")
                    .append(f4(p.rtfBatch8()))
                    .append(" | ")
                    .append(p.engineRssBytes() >> 20)
                    .append(" MiB | ")
                    .append(p.workerRssBytes() >> 20)
                    .append(" MiB | ")
                    .append(f1(p.workerAudioSecondsPerSecond()))
                    .append(" | ")
                    .append(q.length() == 0 ? "not evaluated" : q)
                    .append(" |\n");
        }
        md.append("\n");
        for (Results.VariantPoint p : v.points().subList(1, v.points().size())) {
            boolean slower = p.rtfBatch1() > base.rtfBatch1();
            md.append("- ")
                    .append(p.variant())
                    .append(" against ")
                    .append(base.variant())
                    .append(": ")
                    .append(slower ? "**slower**" : "faster")
                    .append(" at batch 1 (")
                    .append(f2(base.rtfBatch1() / p.rtfBatch1()))
                    .append("x the speed), ")
                    .append(p.rtfBatch8() > base.rtfBatch8() ? "**slower**" : "faster")
                    .append(" at batch 8 (")
                    .append(f2(base.rtfBatch8() / p.rtfBatch8()))
                    .append("x)");
            if (!p.quality().isEmpty() && !base.quality().isEmpty()) {
                p.quality().forEach((voice, x) -> {
                    Results.Quality b = base.quality().get(voice);
                    if (b != null) {
                        md.append("; ")
                                .append(voice)
                                .append(": word error ")
                                .append(x.wer() > b.wer() + 0.05 ? "**worse** " : "")
                                .append(signed(x.wer() - b.wer()))
                                .append(" points, distortion ")
                                .append(x.mcdDb() > b.mcdDb() + 0.005 ? "**worse** " : "")
                                .append(signed(x.mcdDb() - b.mcdDb()))
                                .append(" dB");
                    }
                });
            }
            md.append(".\n");
        }
        md.append(
                "\nFP16 is a GPU variant: it is not in this bundle and not measured, since no GPU was lent to the task "
                        + "that made it (a worker on a GPU runs a bundle's `fp16_file` when it has one).\n\n");
    }
}
