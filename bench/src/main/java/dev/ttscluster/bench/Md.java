package dev.ttscluster.bench;

import java.util.Locale;
import java.util.Map;

/**
 * Number formats and table rows shared by the report's sections. A missing figure (NaN, null) prints as "-".
 * Stateless and thread-safe; no method fails.
 */
final class Md {
    private Md() {}

    /** One table row: {@code | a | b | c |}. */
    static void row(StringBuilder md, String... cells) {
        md.append('|');
        for (String c : cells) {
            md.append(' ').append(c).append(" |");
        }
        md.append('\n');
    }

    /** A table's header row and its separator. */
    static void header(StringBuilder md, String... cells) {
        row(md, cells);
        md.append('|');
        md.append("---|".repeat(cells.length));
        md.append('\n');
    }

    static String f1(double v) {
        return fmt("%.1f", v);
    }

    static String f2(double v) {
        return fmt("%.2f", v);
    }

    static String f3(double v) {
        return fmt("%.3f", v);
    }

    static String f4(double v) {
        return fmt("%.4f", v);
    }

    /** Seconds with three decimals and the unit. */
    static String s(double seconds) {
        return fmt("%.3f s", seconds);
    }

    static String ms(Double v) {
        return v == null ? "-" : fmt("%.1f ms", v);
    }

    /** A share 0..1 as a whole percentage. */
    static String pct(double v) {
        return Double.isNaN(v) ? "-" : fmt("%.0f%%", 100 * v);
    }

    /** A share 0..1 as a percentage with one decimal. */
    static String pct1(double v) {
        return Double.isNaN(v) ? "-" : fmt("%.1f%%", 100 * v);
    }

    static String mb(double v) {
        return fmt("%.0f MiB", v);
    }

    /** Bytes as whole MiB; "-" for none. */
    static String mib(double bytes) {
        return Double.isNaN(bytes) || bytes <= 0 ? "-" : ((long) bytes >> 20) + " MiB";
    }

    /** Two decimals with an explicit sign. */
    static String signed(double d) {
        return (d >= 0 ? "+" : "") + f2(d);
    }

    /** Batches by what closed them: size / budget / window. */
    static String closed(Map<String, Long> m) {
        return m.getOrDefault("size", 0L) + " / " + m.getOrDefault("budget", 0L) + " / " + m.getOrDefault("window", 0L);
    }

    /** "1 repeat", "3 repeats". */
    static String repeats(int n) {
        return n + (n == 1 ? " repeat" : " repeats");
    }

    /** "Run DATE", with the commit and bundle it measured when the run recorded them. */
    static String ran(String date, Results.Provenance p) {
        return "Run " + date + (p == null ? "" : " at commit " + p.commit() + ", bundle " + p.model());
    }

    private static String fmt(String format, double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, format, v);
    }
}
