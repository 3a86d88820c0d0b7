package dev.ttscluster.worker.metrics;

import java.util.Locale;

/**
 * A cumulative histogram with fixed upper bounds, rendered in Prometheus' text format. Thread-safe.
 */
public final class Histogram {
    private final String name;
    private final String help;
    private final double[] bounds;
    private final long[] counts;
    private long count;
    private double sum;

    /**
     * @param bounds ascending upper bounds; an implicit +Inf bucket follows
     */
    public Histogram(String name, String help, double... bounds) {
        this.name = name;
        this.help = help;
        this.bounds = bounds.clone();
        this.counts = new long[bounds.length];
    }

    public synchronized void observe(double v) {
        for (int i = 0; i < bounds.length; i++) {
            if (v <= bounds[i]) {
                counts[i]++;
            }
        }
        count++;
        sum += v;
    }

    public synchronized long count() {
        return count;
    }

    public synchronized double sum() {
        return sum;
    }

    /** Mean of all observations, 0 when none. */
    public synchronized double mean() {
        return count == 0 ? 0 : sum / count;
    }

    synchronized void render(StringBuilder out) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" histogram\n");
        for (int i = 0; i < bounds.length; i++) {
            out.append(name).append("_bucket{le=\"").append(num(bounds[i])).append("\"} ").append(counts[i]).append('\n');
        }
        out.append(name).append("_bucket{le=\"+Inf\"} ").append(count).append('\n');
        out.append(name).append("_sum ").append(num(sum)).append('\n');
        out.append(name).append("_count ").append(count).append('\n');
    }

    static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6g", v);
    }
}
