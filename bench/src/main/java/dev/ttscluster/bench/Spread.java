package dev.ttscluster.bench;

import java.util.Arrays;
import java.util.function.DoubleFunction;

/**
 * One figure over the repeats of a run: its median and its range. Immutable.
 *
 * @param median median of the repeats' values (NaN when none had a value)
 * @param min smallest value
 * @param max largest value
 * @param repeats how many values it was made from
 */
record Spread(double median, double min, double max, int repeats) {
    /** The spread of {@code values}, NaN ones left out. */
    static Spread of(double[] values) {
        double[] v = Arrays.stream(values).filter(d -> !Double.isNaN(d)).toArray();
        return new Spread(
                Stats.median(v),
                Arrays.stream(v).min().orElse(Double.NaN),
                Arrays.stream(v).max().orElse(Double.NaN),
                v.length);
    }

    /** "median [min-max]", each number formatted by {@code f}; "-" when no repeat had a value. */
    String format(DoubleFunction<String> f) {
        return repeats == 0 ? "-" : f.apply(median) + " [" + f.apply(min) + "-" + f.apply(max) + "]";
    }

    /** Whether {@code v} lies within this range. */
    boolean contains(double v) {
        return v >= min && v <= max;
    }
}
