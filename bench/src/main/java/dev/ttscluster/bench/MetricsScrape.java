package dev.ttscluster.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

/**
 * A worker's Prometheus metrics ({@code GET /metrics}) read once, as sample name (with its labels) to value, and the
 * sums, differences and histogram means the harness takes of such scrapes. Stateless and thread-safe.
 */
final class MetricsScrape {
    private MetricsScrape() {}

    /** Reads the metrics at {@code url}; fails with IOException when the endpoint cannot be reached. */
    static Map<String, Double> read(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        return parse(r.body());
    }

    /** The samples of a Prometheus text exposition; lines that are not samples are skipped. */
    static Map<String, Double> parse(String text) {
        Map<String, Double> out = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int sp = line.lastIndexOf(' ');
            try {
                out.put(line.substring(0, sp), Double.parseDouble(line.substring(sp + 1)));
            } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                // not a sample line
            }
        }
        return out;
    }

    /**
     * The sum of a scrape's samples of metric {@code name} (every label set) whose labels contain {@code labels}
     * ("" for all); NaN samples are skipped.
     */
    static double sum(Map<String, Double> scrape, String name, String labels) {
        double s = 0;
        for (Map.Entry<String, Double> e : scrape.entrySet()) {
            String k = e.getKey();
            if (k.startsWith(name)
                    && (k.length() == name.length() || k.charAt(name.length()) == '{')
                    && k.contains(labels)
                    && !e.getValue().isNaN()) {
                s += e.getValue();
            }
        }
        return s;
    }

    /** How much sample {@code key} grew from {@code before} to {@code after} (a missing sample counts as 0). */
    static double delta(Map<String, Double> before, Map<String, Double> after, String key) {
        return after.getOrDefault(key, 0.0) - before.getOrDefault(key, 0.0);
    }

    /** A histogram's mean ({@code name_sum / name_count}); 0 when it has no observation. */
    static double mean(Map<String, Double> scrape, String histogram) {
        double n = scrape.getOrDefault(histogram + "_count", 0.0);
        return n == 0 ? 0 : scrape.getOrDefault(histogram + "_sum", 0.0) / n;
    }
}
