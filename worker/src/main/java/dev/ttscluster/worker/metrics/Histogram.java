package dev.ttscluster.worker.metrics;

import java.util.Locale;

/**
 * A cumulative histogram with fixed upper bounds, rendered in Prometheus' text format. Thread-safe.
 */
public final class Histogram {
    private final String name;
    private final String help;
    private final String labels;
    private final double[] bounds;
    private final long[] counts;
    private long count;
    private double sum;

    /**
     * @param bounds ascending upper bounds; an implicit +Inf bucket follows
     */
    public Histogram(String name, String help, double... bounds) {
        this(name, help, "", bounds);
    }

    /**
     * One series of a labelled family.
     *
     * @param labels label pairs as Prometheus writes them, e.g. {@code source="cache"}; empty for none
     * @param bounds ascending upper bounds; an implicit +Inf bucket follows
     */
    public Histogram(String name, String help, String labels, double... bounds) {
        this.name = name;
        this.help = help;
        this.labels = labels;
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
        render(out, true);
    }

    /** Renders the series; {@code header} adds the family's HELP and TYPE lines (once per family). */
    synchronized void render(StringBuilder out, boolean header) {
        if (header) {
            out.append("# HELP ").append(name).append(' ').append(help).append('\n');
            out.append("# TYPE ").append(name).append(" histogram\n");
        }
        String sep = labels.isEmpty() ? "" : labels + ",";
        String own = labels.isEmpty() ? "" : "{" + labels + "}";
        for (int i = 0; i < bounds.length; i++) {
            out.append(name).append("_bucket{").append(sep).append("le=\"").append(num(bounds[i])).append("\"} ")
                    .append(counts[i]).append('\n');
        }
        out.append(name).append("_bucket{").append(sep).append("le=\"+Inf\"} ").append(count).append('\n');
        out.append(name).append("_sum").append(own).append(' ').append(num(sum)).append('\n');
        out.append(name).append("_count").append(own).append(' ').append(count).append('\n');
    }

    static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6g", v);
    }
}
