package dev.ttscluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttscluster.deploy.local.ChildJvm;
import dev.ttscluster.deploy.local.LocalCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** Reads the services' Prometheus pages for the end-to-end tests. Thread-safe. */
final class Prometheus {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Prometheus() {}

    /** Every sample of a Prometheus text page: the name with its labels, to its value. */
    static Map<String, Double> scrape(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        Map<String, Double> m = new HashMap<>();
        for (String line : r.body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int sp = line.lastIndexOf(' ');
            try {
                m.put(line.substring(0, sp), Double.parseDouble(line.substring(sp + 1)));
            } catch (NumberFormatException e) {
                // a timestamp or an exotic value: not needed here
            }
        }
        return m;
    }

    /** The sum of every sample whose name (before any label) is {@code name} and whose labels contain {@code labels}. */
    static double sum(Map<String, Double> m, String name, String... labels) {
        double s = 0;
        for (Map.Entry<String, Double> e : m.entrySet()) {
            String k = e.getKey();
            String n = k.contains("{") ? k.substring(0, k.indexOf('{')) : k;
            if (n.equals(name) && !e.getValue().isNaN() && Arrays.stream(labels).allMatch(k::contains)) {
                s += e.getValue();
            }
        }
        return s;
    }

    /** The sum of a metric's samples (labelled or not) at {@code url}; 0 when it has none. */
    static double metric(String url, String name) throws IOException, InterruptedException {
        return sum(scrape(url), name);
    }

    /** A worker's metric (0 when the worker does not report it). */
    static double worker(LocalCluster cluster, ChildJvm worker, String name) throws IOException, InterruptedException {
        return metric(cluster.metricsUrl(worker), name);
    }

    /** A metric summed over every running worker. */
    static double workers(LocalCluster cluster, String name) throws IOException, InterruptedException {
        double s = 0;
        for (ChildJvm w : cluster.workers()) {
            s += worker(cluster, w, name);
        }
        return s;
    }
}
