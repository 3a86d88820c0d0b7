package dev.ttscluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttscluster.deploy.local.ChildJvm;
import dev.ttscluster.deploy.local.LocalCluster;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus endpoints of the real local cluster: a gateway's and the workers' counters move when a job
 * runs, and the gateway answers with the job's trace id.
 */
@OnSharedCluster
class MetricsEndToEndTest {
    static LocalCluster cluster;

    @BeforeAll
    static void cluster(LocalCluster shared) {
        cluster = shared;
    }

    static Map<String, Double> scrape(String url) throws Exception {
        return Prometheus.scrape(url);
    }

    static double sum(Map<String, Double> m, String name, String... labels) {
        return Prometheus.sum(m, name, labels);
    }

    static double workers(String name) throws Exception {
        return Prometheus.workers(cluster, name);
    }

    @Test
    void countersMoveWhenAJobRuns() throws Exception {
        String gw = cluster.gatewayUrl() + "/metrics";
        Map<String, Double> g0 = scrape(gw);
        double segments0 = workers("tts_worker_segments_total");
        double batches0 = workers("tts_worker_batches_total");
        double audio0 = workers("tts_worker_audio_seconds_total");

        Api api = new Api(cluster.gatewayUrl());
        HttpResponse<String> r = api.sendWith(
                "POST",
                "/v1/jobs",
                "X-Request-Id",
                "metrics-test-" + System.nanoTime(),
                "application/json",
                "{\"text\":\"Counting this one, number " + System.nanoTime() % 100_000 + ". And this one too.\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(r.headers().firstValue("X-Trace-Id"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("metrics-test-"));
        String id = Api.json(r.body()).get("id").asText();
        assertThat(SharedCluster.client().awaitJob(id, Duration.ofSeconds(120)).status())
                .isEqualTo("succeeded");
        Thread.sleep(2500); // the cluster-wide job counts refresh every 2 s

        Map<String, Double> g1 = scrape(gw);
        assertThat(sum(g1, "tts_gateway_submissions_total", "kind=\"job\""))
                .isEqualTo(sum(g0, "tts_gateway_submissions_total", "kind=\"job\"") + 1);
        assertThat(sum(g1, "tts_gateway_request_seconds_count", "route=\"/v1/jobs\"", "status=\"202\""))
                .isGreaterThan(sum(g0, "tts_gateway_request_seconds_count", "route=\"/v1/jobs\"", "status=\"202\""));
        assertThat(sum(g1, "tts_jobs_total", "state=\"accepted\""))
                .isGreaterThan(sum(g0, "tts_jobs_total", "state=\"accepted\""));
        assertThat(sum(g1, "tts_jobs_total", "state=\"succeeded\""))
                .isGreaterThan(sum(g0, "tts_jobs_total", "state=\"succeeded\""));
        assertThat(sum(g1, "tts_gateway_lane_lag", "lane=\"interactive\"")).isGreaterThanOrEqualTo(0);
        assertThat(g1.keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes"));

        assertThat(workers("tts_worker_segments_total")).isGreaterThanOrEqualTo(segments0 + 2);
        assertThat(workers("tts_worker_batches_total")).isGreaterThan(batches0);
        assertThat(workers("tts_worker_audio_seconds_total")).isGreaterThan(audio0);

        // an error is counted by its code
        api.submit(Map.of("txt", "typo"));
        assertThat(sum(scrape(gw), "tts_gateway_refusals_total", "error=\"invalid_request\""))
                .isGreaterThan(sum(g1, "tts_gateway_refusals_total", "error=\"invalid_request\""));
        assertThat(List.of(cluster.workers().size())).containsExactly(SharedCluster.WORKERS);
    }

    @Test
    void everyMetricTheDashboardAndAlertsUseIsExposed() throws Exception {
        java.util.Set<String> exposed = new java.util.HashSet<>();
        scrape(cluster.gatewayUrl() + "/metrics")
                .keySet()
                .forEach(k -> exposed.add(k.contains("{") ? k.substring(0, k.indexOf('{')) : k));
        for (ChildJvm w : cluster.workers()) {
            scrape(cluster.metricsUrl(w))
                    .keySet()
                    .forEach(k -> exposed.add(k.contains("{") ? k.substring(0, k.indexOf('{')) : k));
        }
        java.nio.file.Path monitoring = SharedCluster.repoRoot().resolve("deploy/monitoring");
        String used = java.nio.file.Files.readString(monitoring.resolve("grafana-dashboard.json"))
                + java.nio.file.Files.readString(monitoring.resolve("alerts.yaml"));
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("\\b(tts_[a-z_]+)").matcher(used);
        java.util.Set<String> names = new java.util.TreeSet<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        assertThat(names).hasSizeGreaterThan(10);
        assertThat(names).allSatisfy(n -> assertThat(exposed)
                .as("exposed by the gateway or a worker")
                .contains(n));
    }
}
