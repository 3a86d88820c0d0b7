package dev.ttscluster.bench;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ttscluster.common.contract.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The harness's output folder ({@code docs} by default): the saved numbers ({@code bench/results.json}, and a repeated
 * load-step run per label, {@code bench/LABEL.json}), the report ({@code BENCHMARKS.md}) and the plot
 * ({@code bench/load.png}). Not thread-safe; every method fails with IOException when a file cannot be read or
 * written, or is not a saved run.
 */
final class ResultsStore {
    private static final ObjectWriter PRETTY =
            Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writer();

    private final Path out;
    private final Consumer<String> log;

    ResultsStore(Path out, Consumer<String> log) {
        this.out = out;
        this.log = log;
    }

    /** The saved whole run, if this folder has one. */
    Optional<Results.Run> run() throws IOException {
        Path json = out.resolve("bench/results.json");
        return Files.exists(json) ? Optional.of(readRun(json)) : Optional.empty();
    }

    static Results.Run readRun(Path json) throws IOException {
        return Json.MAPPER.readValue(json.toFile(), Results.Run.class);
    }

    static Results.LoadRun readLoad(Path json) throws IOException {
        return Json.MAPPER.readValue(json.toFile(), Results.LoadRun.class);
    }

    /** Saves {@code run} (the JSON only when its numbers changed) and writes the report and the plot from it. */
    void write(Results.Run run) throws IOException {
        Files.createDirectories(out.resolve("bench"));
        Path json = out.resolve("bench/results.json");
        if (!Files.exists(json) || !readRun(json).equals(run)) {
            PRETTY.writeValue(json.toFile(), run);
        }
        BenchPlot.write(run, out.resolve("bench/load.png"));
        Files.writeString(out.resolve("BENCHMARKS.md"), BenchReport.render(run));
        log.accept("wrote " + out.resolve("BENCHMARKS.md") + ", " + json + ", " + out.resolve("bench/load.png"));
    }

    /** Saves a repeated load-step run as {@code bench/LABEL.json}; returns the file. */
    Path writeLoad(Results.LoadRun load, String label) throws IOException {
        Path file = out.resolve("bench/" + label + ".json");
        Files.createDirectories(file.getParent());
        PRETTY.writeValue(file.toFile(), load);
        log.accept("wrote " + file);
        return file;
    }

    /**
     * Puts the repeated load steps (and what they are compared with, or null) into the saved whole run and writes
     * its report again; without a saved run, writes their sections alone to {@code bench/NAME.md}.
     */
    void mergeLoad(Results.LoadRun load, Results.LoadRun before, String name) throws IOException {
        Optional<Results.Run> saved = run();
        if (saved.isPresent()) {
            write(saved.get().withLoad(load, before));
            return;
        }
        Path md = out.resolve("bench/" + name + ".md");
        Files.createDirectories(md.getParent());
        Files.writeString(md, BenchReport.renderLoad(load, before));
        log.accept("no " + out.resolve("bench/results.json") + " to merge into: wrote " + md);
    }
}
