package dev.ttscluster.bench;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * What every part of the harness that starts its own clusters holds: the folder for their data and logs, the model
 * bundle, the part's options and where progress lines go. Subclasses run one measurement at a time (not
 * thread-safe).
 *
 * @param <O> the part's options
 */
abstract class PartBench<O> {
    /** Folder under which each cluster of the part gets its own data and logs. */
    protected final Path dataRoot;
    /** The model bundle the workers load. */
    protected final Path model;

    protected final O opts;
    protected final Consumer<String> log;

    PartBench(Path dataRoot, Path model, O opts, Consumer<String> log) {
        this.dataRoot = dataRoot;
        this.model = model;
        this.opts = opts;
        this.log = log;
    }
}
