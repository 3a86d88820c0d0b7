package dev.ttscluster.bench;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Looks up a run's modes and their open-loop steps: a mode by name, the last attempt at a rate, the rates both modes
 * ran. Stateless and thread-safe.
 */
final class Steps {
    private Steps() {}

    /** The mode called {@code name}; fails with IllegalArgumentException when the list has none. */
    static Results.Mode mode(List<Results.Mode> modes, String name) {
        return modes.stream()
                .filter(m -> m.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no mode " + name));
    }

    /** The highest offered rate both modes ran, if any. */
    static OptionalDouble highestCommon(Results.Mode a, Results.Mode b) {
        double best = -1;
        for (Results.Step x : a.steps()) {
            for (Results.Step y : b.steps()) {
                if (same(x.offeredJobsPerSecond(), y.offeredJobsPerSecond())) {
                    best = Math.max(best, x.offeredJobsPerSecond());
                }
            }
        }
        return best < 0 ? OptionalDouble.empty() : OptionalDouble.of(best);
    }

    /** The last attempt at {@code rate}; fails with NoSuchElementException when the mode did not run it. */
    static Results.Step stepAt(Results.Mode m, double rate) {
        return find(m, rate).orElseThrow();
    }

    /** The last attempt at {@code rate}, if the mode ran it. */
    static Optional<Results.Step> find(Results.Mode m, double rate) {
        return m.steps().stream()
                .filter(s -> same(s.offeredJobsPerSecond(), rate))
                .reduce((a, b) -> b);
    }

    /** The last attempt of every rate, in order of load. */
    static List<Results.Step> finalSteps(Results.Mode m) {
        return m.steps().stream()
                .filter(s -> stepAt(m, s.offeredJobsPerSecond()) == s)
                .toList();
    }

    private static boolean same(double a, double b) {
        return Math.abs(a - b) < 1e-9;
    }
}
