package dev.ttscluster.bench;

import static dev.ttscluster.bench.Md.f1;
import static dev.ttscluster.bench.Md.f2;
import static dev.ttscluster.bench.Md.mib;
import static dev.ttscluster.bench.Md.signed;

import java.util.ArrayList;
import java.util.List;

/**
 * The report's memory soak section: the worker's memory sampled over a long mixed load, and whether it grows, from
 * the soak run alone. Stateless.
 */
final class SoakSection {
    /** Resident-memory climb per minute over a soak's second half above which the report calls it growing. */
    static final double GROWTH_MIB_PER_MINUTE = 2;

    private SoakSection() {}

    /** Appends the section; fails with IndexOutOfBoundsException when the soak has no sample. */
    static void render(StringBuilder md, Results.SoakRun s, Results.Provenance ran) {
        boolean pinned = s.jvmOptions() != null && !s.jvmOptions().isBlank();
        md.append("## Worker memory under a soak\n\n");
        md.append(Md.ran(s.date(), ran))
                .append(". One worker (variant ")
                .append(s.variant())
                .append(", batched, segment ")
                .append("cache on");
        if (pinned) {
            md.append(", heap `")
                    .append(s.jvmOptions())
                    .append("`: pinned and touched at start, so the heap's own ")
                    .append("growth to its working size is not read as a leak");
        }
        md.append(") after its warm-up, then ")
                .append(f1(s.seconds() / 60))
                .append(" minutes of mixed jobs at ")
                .append(f1(s.ratePerSecond()))
                .append(" jobs/s (Poisson): ")
                .append(s.mix())
                .append(". ")
                .append(s.succeeded())
                .append(" of ")
                .append(s.jobs())
                .append(" jobs succeeded. The worker's resident memory ")
                .append("(VmRSS), its JVM heap committed and in use (its `jvm_memory_committed_bytes` and ")
                .append(
                        "`jvm_memory_used_bytes`), the resident memory outside the committed heap and, of that, the JVM's ")
                .append("non-heap memory in use (metaspace, code cache), sampled as it ran:\n\n");
        md.append(
                        "| minute | worker RSS | heap committed | heap in use | outside the heap | JVM non-heap | segments handled |\n")
                .append("|---|---|---|---|---|---|---|\n");
        List<Results.SoakSample> shown = new ArrayList<>();
        double next = 0;
        for (Results.SoakSample p : s.samples()) {
            if (p.seconds() >= next || p == s.samples().get(s.samples().size() - 1)) {
                shown.add(p);
                next = p.seconds() + 60;
            }
        }
        for (Results.SoakSample p : shown) {
            md.append("| ")
                    .append(f1(p.seconds() / 60))
                    .append(" | ")
                    .append(p.rssBytes() >> 20)
                    .append(" MiB | ")
                    .append(mib(p.heapCommittedBytes()))
                    .append(" | ")
                    .append(mib(p.heapUsedBytes()))
                    .append(" | ")
                    .append(mib(p.outsideHeapBytes()))
                    .append(" | ")
                    .append(mib(p.nonHeapUsedBytes()))
                    .append(" | ")
                    .append(Double.isNaN(p.segments()) ? "-" : Long.toString(Math.round(p.segments())))
                    .append(" |\n");
        }
        long min = s.samples().stream()
                .mapToLong(Results.SoakSample::rssBytes)
                .min()
                .orElse(0);
        long max = s.samples().stream()
                .mapToLong(Results.SoakSample::rssBytes)
                .max()
                .orElse(0);
        double slope = s.rssSlopeMibPerMinute();
        double outside = s.outsideHeapSlopeMibPerMinute();
        md.append("\nResident memory ranged ")
                .append(min >> 20)
                .append("-")
                .append(max >> 20)
                .append(" MiB; over the ")
                .append("second half of the soak it moved by ")
                .append(signed(slope))
                .append(" MiB per minute (least squares)");
        if (!Double.isNaN(outside)) {
            md.append(", the memory outside the heap by ")
                    .append(signed(outside))
                    .append(" MiB per minute");
        }
        md.append(": ")
                .append(Math.abs(slope) < GROWTH_MIB_PER_MINUTE ? "**no growth**" : "**growing**")
                .append(" (threshold: ")
                .append(f1(GROWTH_MIB_PER_MINUTE))
                .append(" MiB/min, a ")
                .append(f2(GROWTH_MIB_PER_MINUTE * 100 / Math.max(1, max >> 20)))
                .append("% climb per minute of a ")
                .append("worker this size). The heap is bounded by the worker's -Xmx; the rest is ")
                .append("libtorch's native memory, the JIT and thread stacks.\n\n");
    }
}
