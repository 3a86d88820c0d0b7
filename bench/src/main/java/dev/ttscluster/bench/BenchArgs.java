package dev.ttscluster.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The harness's command line, parsed: {@code --quick} is a flag, {@code --compare-load} takes two files, every
 * other {@code --name} takes one value. Immutable; the constructor
 * fails with IllegalArgumentException on a word it does not know how to take, and the number getters with
 * NumberFormatException naming the option.
 */
final class BenchArgs {
    /** Usage, printed when the command line cannot be parsed. */
    static final String USAGE = "usage: run-benchmarks [--quick] [--out docs] [--model models/slt] [--data DIR] "
            + "[--nice N] [--upload-threads N] [--render results.json] "
            + "[--only cache|book|scaling|variants|soak|load] [--repeats N] [--label LABEL] [--step-seconds S] "
            + "[--warmup N] [--backlog N] [--soak-seconds N] [--compare-load BEFORE.json AFTER.json]";

    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> raw;
    private final Path root;

    BenchArgs(String[] args, Path root) {
        this.raw = List.of(args);
        this.root = root;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quick")) {
                values.put("--quick", "true");
            } else if (args[i].equals("--compare-load") && i + 2 < args.length) {
                values.put("--compare-load", args[++i]);
                values.put("--compare-load:after", args[++i]);
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                values.put(args[i], args[++i]);
            } else {
                throw new IllegalArgumentException("cannot take '" + args[i] + "'");
            }
        }
    }

    /** The arguments as given, space-separated. */
    String given() {
        return String.join(" ", raw);
    }

    Path root() {
        return root;
    }

    boolean quick() {
        return values.containsKey("--quick");
    }

    Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    int getInt(String name, int fallback) {
        return get(name).map(v -> parse(name, v, Integer::parseInt)).orElse(fallback);
    }

    double getDouble(String name, double fallback) {
        return get(name).map(v -> parse(name, v, Double::parseDouble)).orElse(fallback);
    }

    /** A path option resolved against the repository root. */
    Path path(String name, String fallback) {
        return root.resolve(get(name, fallback));
    }

    /** The two files of {@code --compare-load} (relative to the working directory), before then after, if given. */
    Optional<List<Path>> compareLoad() {
        return get("--compare-load").map(b -> List.of(Path.of(b), Path.of(values.get("--compare-load:after"))));
    }

    private static <T> T parse(String name, String v, java.util.function.Function<String, T> f) {
        try {
            return f.apply(v);
        } catch (NumberFormatException e) {
            throw new NumberFormatException(name + " takes a number, not '" + v + "'");
        }
    }
}
