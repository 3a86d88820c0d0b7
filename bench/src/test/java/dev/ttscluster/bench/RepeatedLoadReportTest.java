package dev.ttscluster.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ttscluster.common.contract.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The repeated load steps and their before/after comparison come out of hand-made runs' numbers alone. */
class RepeatedLoadReportTest {
    private static final ClusterBench.Options OPTIONS = new ClusterBench.Options(20, 150, 500, 4, 2.0, 90, 10);

    /** A mode whose backlog ran {@code jobsPerSecond}, with {@code steps} steps at 1, 2, 3... jobs/s. */
    private static Results.Mode mode(String name, double jobsPerSecond, double p95, int steps) {
        List<Results.Step> list = new ArrayList<>();
        for (int k = 0; k < steps; k++) {
            double rate = k + 1;
            list.add(new Results.Step(
                    rate,
                    20,
                    20,
                    rate,
                    rate * 4,
                    p95 * (k + 1) / 2,
                    p95 * (k + 1),
                    p95 * (k + 1) * 1.2,
                    0.1,
                    p95 * (k + 1) * 0.8,
                    p95,
                    true,
                    Map.of(),
                    1));
        }
        return new Results.Mode(
                name,
                name,
                Map.of(),
                new EngineBench.Point(8, 10, 80, 100, 1.25, 0.05),
                new Results.Saturation(100, 100, 10, jobsPerSecond, jobsPerSecond * 4, 0.9, Map.of(), 0.8),
                jobsPerSecond / 20,
                list,
                steps,
                500,
                300,
                new Results.WorkerStats(1, 1, 0, 0, 0, 0, Map.of()));
    }

    private static Results.LoadRun load(
            String commit, double[] perJobs, double[] batJobs, double[] batP95, int perSteps) {
        List<Results.LoadRepeat> repeats = new ArrayList<>();
        for (int r = 0; r < batJobs.length; r++) {
            repeats.add(new Results.LoadRepeat(
                    r + 1,
                    "slt v1",
                    List.of(
                            mode("per-request", perJobs[r], 0.3, perSteps),
                            mode("batched", batJobs[r], batP95[r], 3))));
        }
        return new Results.LoadRun("2026-12-06", commit, "--only load", OPTIONS, repeats);
    }

    private static final Results.LoadRun BEFORE =
            load("aaaa1111", new double[] {8, 8, 8}, new double[] {12, 10, 11}, new double[] {0.4, 0.6, 0.5}, 3);

    @Test
    void repeatedLoadStepsShowMediansAndRangesAtTheStepsEveryRepeatRan() {
        Results.LoadRun load =
                load("abc123", new double[] {8, 8, 8}, new double[] {12, 10, 11}, new double[] {0.4, 0.6, 0.5}, 2);
        StringBuilder md = new StringBuilder();

        RepeatedLoadSection.render(md, load);

        assertThat(md.toString())
                .contains(
                        "## Load steps, repeated",
                        "Run 2026-12-06 at commit abc123, bundle slt v1: the load steps alone (`bench/run-benchmarks --only load`), "
                                + "3 repeats",
                        "| throughput with a backlog, jobs/s | 8.00 [8.00-8.00] | 11.00 [10.00-12.00] |",
                        "| throughput with a backlog, audio-seconds/s | 32.0 [32.0-32.0] | 44.0 [40.0-48.0] |",
                        "| system efficiency (end-to-end / raw engine) | 0.40 [0.40-0.40] | 0.55 [0.50-0.60] |",
                        "| max sustained load, jobs/s | 2.00 [2.00-2.00] | 3.00 [3.00-3.00] |",
                        // batched p95 at step 2: 2 x {0.4, 0.6, 0.5}
                        "| step 2 (50%) | 2.00 [2.00-2.00] | 0.300 [0.300-0.300] | 0.600 [0.600-0.600] | 0.480 [0.480-0.480] | "
                                + "0.500 [0.400-0.600] | 1.000 [0.800-1.200] | 0.800 [0.640-0.960] |");
        assertThat(md.toString()).doesNotContain("| step 3");
    }

    @Test
    void comparisonCallsAFigureWorseOnlyWhenItsMedianLeavesTheBeforeRangeTheWrongWay() {
        // after: batched backlog 9.5 (below 10-12: worse), per-request 8.1 (better), batched p95 0.55 (inside 0.4-0.6)
        Results.LoadRun after = load(
                "bbbb2222",
                new double[] {7.9, 8.1, 8.2},
                new double[] {9, 9.5, 10.5},
                new double[] {0.5, 0.55, 0.7},
                3);
        StringBuilder md = new StringBuilder();

        LoadComparisonSection.render(md, BEFORE, after);

        assertThat(md.toString())
                .contains(
                        "## Load steps before and after bbbb2222",
                        "Before: run 2026-12-06 at commit aaaa1111, bundle slt v1, 3 repeats. After: run 2026-12-06 at commit "
                                + "bbbb2222, bundle slt v1, 3 repeats.",
                        "| per-request: throughput with a backlog, jobs/s | 8.00 [8.00-8.00] | 8.10 [7.90-8.20] | 1.01x | no worse |",
                        "| batched: throughput with a backlog, jobs/s | 11.00 [10.00-12.00] | 9.50 [9.00-10.50] | 0.86x | "
                                + "**worse by 13.6%** |",
                        "| batched: job latency p95 at step 1 (25%), s | 0.500 [0.400-0.600] | 0.550 [0.500-0.700] | 1.10x | no worse |",
                        "**Verdict**: ");
        assertThat(md.toString()).doesNotContain("The bundles differ", "options differ");
        List<LoadComparisonSection.Row> worse = LoadComparisonSection.rows(BEFORE, after).stream()
                .filter(r -> !r.noWorse())
                .toList();
        assertThat(worse)
                .extracting(LoadComparisonSection.Row::label)
                .contains("batched: throughput with a backlog, jobs/s")
                .doesNotContain("per-request: throughput with a backlog, jobs/s");
    }

    @Test
    void aLatencyAboveTheBeforeRangeIsWorseAndTheSameRunIsNoWorseEverywhere() {
        Results.LoadRun slower =
                load("cccc3333", new double[] {8, 8, 8}, new double[] {12, 10, 11}, new double[] {0.7, 0.8, 0.9}, 3);
        StringBuilder md = new StringBuilder();

        LoadComparisonSection.render(md, BEFORE, slower);
        StringBuilder same = new StringBuilder();
        LoadComparisonSection.render(same, BEFORE, BEFORE);

        assertThat(md.toString())
                .contains("| batched: job latency p95 at step 1 (25%), s | 0.500 [0.400-0.600] | "
                        + "0.800 [0.700-0.900] | 1.60x | **worse by 60.0%** |");
        assertThat(same.toString())
                .contains("**Verdict**: every figure no worse after aaaa1111")
                .doesNotContain("worse by");
    }

    @Test
    void theWholeReportCarriesTheRepeatedLoadAndEachPartNamesItsCommit() {
        Results.Run run = new Results.Run(
                        "2026-12-01",
                        "bench/run-benchmarks",
                        Map.of("cores", "2"),
                        "slt v1",
                        "mixed",
                        2.0,
                        List.of(new EngineBench.Point(1, 10, 10, 20, 0.3, 0)),
                        List.of(mode("per-request", 8, 0.3, 3), mode("batched", 11, 0.5, 3)),
                        "not measured",
                        null,
                        null)
                .withLoad(
                        load(
                                "abc123",
                                new double[] {8, 8, 8},
                                new double[] {12, 10, 11},
                                new double[] {0.4, 0.6, 0.5},
                                3),
                        BEFORE)
                .withParts(
                        null,
                        new Results.BookRun(
                                "2026-12-02",
                                3,
                                40,
                                80_000,
                                800,
                                2,
                                260,
                                "running",
                                new Results.Latency(100, 0.2, 0.18, 0.40),
                                new Results.Latency(100, 0.25, 0.22, 0.50),
                                Map.of(),
                                0.4,
                                0.95,
                                1.3),
                        null,
                        null,
                        null,
                        new Results.Provenance("2026-12-02", "def456", "slt v2"));

        String md = BenchReport.render(run);

        assertThat(md)
                .contains(
                        "## Load steps, repeated",
                        "## Load steps before and after abc123",
                        "Run 2026-12-02 at commit def456, bundle slt v2. One worker");
        assertThat(md.indexOf("## Load steps before and after")).isGreaterThan(md.indexOf("## Load steps, repeated"));
        assertThat(run.provenanceOf("cache")).isNull();
    }

    @Test
    void aRunWithItsRepeatedLoadSurvivesJsonAndAnOlderRunReadsWithout() throws Exception {
        Results.Run run = new Results.Run(
                        "2026-12-01",
                        "bench/run-benchmarks",
                        Map.of("cores", "2"),
                        "slt v1",
                        "mixed",
                        2.0,
                        List.of(),
                        List.of(mode("per-request", 8, 0.3, 2), mode("batched", 11, 0.5, 2)),
                        "none",
                        null,
                        null)
                .withLoad(BEFORE, null);

        Results.Run back = Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(run), Results.Run.class);
        String older = Json.MAPPER
                .writeValueAsString(run.withLoad(null, null))
                .replace(",\"load\":null", "")
                .replace(",\"loadBefore\":null", "")
                .replace(",\"provenance\":null", "");
        Results.Run old = Json.MAPPER.readValue(older, Results.Run.class);

        assertThat(back).isEqualTo(run);
        assertThat(older).doesNotContain("provenance");
        assertThat(old.load()).isNull();
        assertThat(old.provenanceOf("run")).isNull();
    }

    @Test
    void spreadsAreMediansWithRangesAndTheArgumentsTakeTwoFilesToCompare() {
        assertThat(Spread.of(new double[] {3, 1, 2, Double.NaN}).format(Md::f1)).isEqualTo("2.0 [1.0-3.0]");
        assertThat(Spread.of(new double[] {4, 1, 2, 3}).median()).isEqualTo(2.5);
        assertThat(Spread.of(new double[0]).format(Md::f1)).isEqualTo("-");

        BenchArgs a =
                new BenchArgs(new String[] {"--compare-load", "b.json", "a.json", "--out", "/tmp/x"}, Path.of("/r"));

        assertThat(a.compareLoad()).contains(List.of(Path.of("b.json"), Path.of("a.json")));
        assertThat(a.path("--out", "docs")).isEqualTo(Path.of("/tmp/x"));
        assertThatThrownBy(() -> new BenchArgs(new String[] {"--quick", "stray"}, Path.of("/r")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stray");
        assertThatThrownBy(
                        () -> new BenchArgs(new String[] {"--repeats", "three"}, Path.of("/r")).getInt("--repeats", 3))
                .hasMessageContaining("--repeats");
    }
}
