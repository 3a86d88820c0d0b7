package dev.ttscluster.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * Draws docs/bench/load.png: completed jobs/s and p95 job latency against offered load, one line per
 * mode. Plain Java2D, headless.
 */
public final class BenchPlot {
    private static final int W = 1100;
    private static final int H = 460;
    private static final Color[] COLORS = {new Color(0xD62728), new Color(0x1F77B4)};

    private BenchPlot() {}

    public static void write(Results.Run run, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        double maxRate = run.modes().stream()
                .flatMap(m -> m.steps().stream())
                .mapToDouble(Results.Step::offeredJobsPerSecond)
                .max()
                .orElse(1);
        panel(g, run, 60, "completed jobs/s", maxRate, Results.Step::completedJobsPerSecond, true);
        panel(g, run, 610, "p95 job latency, s", maxRate, Results.Step::latencyP95, false);
        g.dispose();
        java.nio.file.Files.createDirectories(png.getParent());
        ImageIO.write(img, "png", png.toFile());
    }

    private static void panel(
            Graphics2D g,
            Results.Run run,
            int x0,
            String title,
            double maxX,
            ToDoubleFunction<Results.Step> y,
            boolean diagonal) {
        int pw = 460;
        int ph = 330;
        int y0 = 60;
        double maxY = 0;
        for (Results.Mode m : run.modes()) {
            for (Results.Step s : m.steps()) {
                double v = y.applyAsDouble(s);
                if (!Double.isNaN(v)) {
                    maxY = Math.max(maxY, v);
                }
            }
        }
        if (diagonal) {
            maxY = Math.max(maxY, maxX);
        }
        maxY = niceCeil(maxY);
        double mx = niceCeil(maxX);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title + " against offered jobs/s", x0, y0 - 25);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(new Color(0xDDDDDD));
        for (int i = 0; i <= 5; i++) {
            int yy = y0 + ph - i * ph / 5;
            g.drawLine(x0, yy, x0 + pw, yy);
            int xx = x0 + i * pw / 5;
            g.drawLine(xx, y0, xx, y0 + ph);
        }
        g.setColor(Color.BLACK);
        g.drawRect(x0, y0, pw, ph);
        for (int i = 0; i <= 5; i++) {
            g.drawString(String.format(Locale.ROOT, "%.1f", maxY * i / 5), x0 - 40, y0 + ph - i * ph / 5 + 4);
            g.drawString(String.format(Locale.ROOT, "%.1f", mx * i / 5), x0 + i * pw / 5 - 10, y0 + ph + 18);
        }
        g.drawString("offered load, jobs/s", x0 + pw / 2 - 55, y0 + ph + 38);
        if (diagonal) {
            g.setColor(Color.GRAY);
            g.setStroke(
                    new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 5f}, 0f));
            double top = Math.min(mx, maxY);
            g.drawLine(x0, y0 + ph, x0 + (int) (top / mx * pw), y0 + ph - (int) (top / maxY * ph));
        }
        int legend = 0;
        for (int k = 0; k < run.modes().size(); k++) {
            Results.Mode m = run.modes().get(k);
            g.setColor(COLORS[k % COLORS.length]);
            g.setStroke(new BasicStroke(2.5f));
            List<Results.Step> steps = Steps.finalSteps(m);
            int px = -1;
            int py = -1;
            for (Results.Step s : steps) {
                double v = y.applyAsDouble(s);
                if (Double.isNaN(v)) {
                    continue;
                }
                int xx = x0 + (int) (s.offeredJobsPerSecond() / mx * pw);
                int yy = y0 + ph - (int) (Math.min(v, maxY) / maxY * ph);
                g.fillOval(xx - 4, yy - 4, 8, 8);
                if (px >= 0) {
                    g.drawLine(px, py, xx, yy);
                }
                px = xx;
                py = yy;
            }
            g.drawLine(x0 + 12, y0 + 16 + legend * 18, x0 + 36, y0 + 16 + legend * 18);
            g.drawString(m.name(), x0 + 42, y0 + 20 + legend * 18);
            legend++;
        }
        g.setStroke(new BasicStroke(1f));
    }

    private static double niceCeil(double v) {
        if (v <= 0 || Double.isNaN(v)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }
}
