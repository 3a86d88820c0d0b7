package dev.ttscluster.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ttscluster.common.contract.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The benchmark harness end to end in its quick form (short steps, a small backlog), so it cannot rot:
 * the engine probe JVM, both modes on real clusters, the segment cache's workload with and without the
 * cache, a book beside interactive jobs, scaling, every variant of the bundle and a short soak, the report, the plot
 * and the JSON all come out; then the load steps alone ({@code --only load}) merge into that run and compare with
 * themselves ({@code --compare-load}).
 * Its numbers are not looked at: no test asserts on speed.
 */
class BenchHarnessSmokeTest {
    @Test
    void quickRunWritesTheReportThePlotAndTheNumbers() throws Exception {
        Path out = Path.of("target", "bench-smoke").toAbsolutePath();
        Path data = Path.of("target", "bench-smoke-data").toAbsolutePath();

        BenchMain.main(new String[] {"--quick", "--nice", "0", "--out", out.toString(), "--data", data.toString()});

        String md = Files.readString(out.resolve("BENCHMARKS.md"));
        assertThat(md)
                .contains(
                        "# Benchmarks",
                        "| | per-request | batched |",
                        "system efficiency",
                        "## Load steps",
                        "## Raw engine batch curve",
                        "## Segment cache on a repeated-phrase workload",
                        "**hit rate**",
                        "## Interactive jobs while a book runs",
                        "## Model variants",
                        "## Worker memory under a soak");
        JsonNode run = Json.MAPPER.readTree(out.resolve("bench/results.json").toFile());
        assertThat(run.get("modes")).hasSize(2);
        assertThat(run.get("engineCurve")).hasSize(6);
        for (JsonNode mode : run.get("modes")) {
            assertThat(mode.get("saturation").get("succeeded").asInt())
                    .as(mode.get("name").asText())
                    .isEqualTo(mode.get("saturation").get("jobs").asInt());
            assertThat(mode.get("steps").size()).isPositive();
        }
        assertThat(run.get("cache").get("modes")).hasSize(2);
        for (JsonNode mode : run.get("cache").get("modes")) {
            assertThat(mode.get("succeeded").asInt())
                    .as(mode.get("name").asText())
                    .isEqualTo(mode.get("jobs").asInt());
        }
        assertThat(run.get("book").get("idle").get("jobs").asInt()).isPositive();
        assertThat(run.get("book").get("withBook").get("jobs").asInt()).isPositive();
        assertThat(run.get("variants").get("points"))
                .hasSize(VariantsBench.variants(Path.of(System.getProperty("tts.repo.root", ".."))
                                .resolve("models/slt"))
                        .size());
        for (JsonNode v : run.get("variants").get("points")) {
            assertThat(v.get("workerRssBytes").asLong())
                    .as(v.get("variant").asText())
                    .isPositive();
        }
        assertThat(run.get("soak").get("samples").size()).isGreaterThan(1);
        assertThat(run.get("soak").get("succeeded").asInt())
                .isEqualTo(run.get("soak").get("jobs").asInt());
        assertThat(ImageIO.read(out.resolve("bench/load.png").toFile()).getWidth())
                .isGreaterThan(500);

        // the load steps alone, merged into the run above; then compared with themselves
        BenchMain.main(new String[] {
            "--quick",
            "--nice",
            "0",
            "--only",
            "load",
            "--repeats",
            "1",
            "--label",
            "load-smoke",
            "--out",
            out.toString(),
            "--data",
            data.resolve("load").toString()
        });
        Path load = out.resolve("bench/load-smoke.json");
        BenchMain.main(new String[] {"--compare-load", load.toString(), load.toString(), "--out", out.toString()});

        Results.LoadRun saved = ResultsStore.readLoad(load);
        assertThat(saved.repeats()).hasSize(1);
        assertThat(saved.repeats().get(0).modes())
                .extracting(Results.Mode::name)
                .containsExactly("per-request", "batched");
        assertThat(Files.readString(out.resolve("BENCHMARKS.md")))
                .contains(
                        "## Segment cache on a repeated-phrase workload",
                        "## Load steps, repeated",
                        "at commit " + saved.commit(),
                        "## Load steps before and after " + saved.commit(),
                        "**Verdict**: every figure no worse");
    }
}
