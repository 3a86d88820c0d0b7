package dev.ttscluster.deploy.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ttscluster.deploy.local.ChildJvm;
import dev.ttscluster.deploy.local.LocalCluster;
import dev.ttscluster.deploy.local.LocalServers;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared segment cache on the real cluster: its own Redis, shared by every worker, optional. The
 * outage test runs last: a worker's breaker stays open until traffic lets it probe again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SegmentCacheEndToEndTest {
    static LocalCluster cluster;
    static Api api;

    @BeforeAll
    static void cluster() {
        cluster = SharedCluster.get();
        SharedCluster.restoreWorkers();
        api = new Api(cluster.gatewayUrl());
    }

    /** A worker's metric (0 when the worker does not report it). */
    static double metric(ChildJvm worker, String name) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(cluster.metricsUrl(worker))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String line : body.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1));
            }
        }
        return 0;
    }

    private static byte[] synthesize(String text) throws Exception {
        return api.getBytes("/v1/jobs/" + finished(text).get("id").asText() + "/audio").body();
    }

    /** Submits {@code text} and returns the job's view once it succeeded. */
    private static JsonNode finished(String text) throws Exception {
        String id = Api.json(api.submit(Map.of("text", text)).body()).get("id").asText();
        JsonNode done = api.awaitFinal(id, Duration.ofSeconds(120));
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("succeeded");
        return done;
    }

    /** Waits (up to 60 s) until no worker stores anything for a second: the cluster has nothing else to do. */
    private static void quiesce() throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        double last = -1;
        while (System.currentTimeMillis() < deadline) {
            double now = sum("tts_worker_upload_seconds_count") + sum("tts_worker_cache_written_bytes_total");
            if (now == last) {
                return;
            }
            last = now;
            Thread.sleep(1000);
        }
    }

    private static double sum(String metric) throws Exception {
        double total = 0;
        for (ChildJvm w : cluster.workers()) {
            total += metric(w, metric);
        }
        return total;
    }

    @Test
    @Order(1)
    void aSecondIdenticalJobIsServedFromTheCacheByAnotherWorkerWithIdenticalAudio() throws Exception {
        // one segment, so exactly one worker synthesizes it the first time
        String text = "Welcome back to the cache test number " + (System.nanoTime() % 100_000) + ", your table is ready.";
        List<ChildJvm> workers = cluster.workers();
        quiesce(); // work left by earlier tests (a book's last segments) must not pass for this job's
        double[] writtenBefore = new double[workers.size()];
        for (int i = 0; i < workers.size(); i++) {
            writtenBefore[i] = metric(workers.get(i), "tts_worker_cache_written_bytes_total");
        }

        byte[] first = synthesize(text);

        List<ChildJvm> makers = new ArrayList<>();
        List<ChildJvm> others = new ArrayList<>();
        for (int i = 0; i < workers.size(); i++) {
            (metric(workers.get(i), "tts_worker_cache_written_bytes_total") > writtenBefore[i] ? makers : others)
                    .add(workers.get(i));
        }
        assertThat(makers).as("some worker synthesized and cached the segments").isNotEmpty();
        assertThat(others).as("a worker that did not synthesize it").isNotEmpty();
        // only a worker that never synthesized this text is left to serve the second job
        makers.forEach(w -> w.stop(15_000));
        try {
            double hitsBefore = metric(others.get(0), "tts_worker_cache_hits_total");

            JsonNode job = finished(text);
            byte[] second = api.getBytes("/v1/jobs/" + job.get("id").asText() + "/audio").body();

            assertThat(second).as("byte-identical audio").isEqualTo(first);
            assertThat(job.get("segments_cached").asInt()).as("the job view counts it").isEqualTo(1);
            assertThat(metric(others.get(0), "tts_worker_cache_hits_total") - hitsBefore)
                    .as("the segment came from the cache (misses %s, skipped %s)",
                            metric(others.get(0), "tts_worker_cache_misses_total"),
                            metric(others.get(0), "tts_worker_cache_skipped_total")).isGreaterThanOrEqualTo(1);
        } finally {
            SharedCluster.restoreWorkers();
        }
    }

    @Test
    @Order(3)
    void everyJobSucceedsWhileTheCacheRedisIsDownAndTheCacheComesBackByItself() throws Exception {
        Assumptions.assumeTrue(cluster.servers() instanceof LocalServers, "needs the local cache Redis to stop");
        LocalServers servers = (LocalServers) cluster.servers();
        String tag = Long.toString(System.nanoTime() % 100_000);
        servers.cache().stop();
        try {
            for (int i = 0; i < 4; i++) {
                assertThat(synthesize("Cache outage check " + tag + ", item " + i + ".")).isNotEmpty();
            }
        } finally {
            servers.cache().start();
        }
        // the breaker lets a probe through after a few seconds; then new audio reaches the shared cache again
        // (the restarted cache Redis kept nothing) and workers that never made it find it there
        double written = sum("tts_worker_cache_written_bytes_total");
        long deadline = System.currentTimeMillis() + 60_000;
        int n = 0;
        while (sum("tts_worker_cache_written_bytes_total") <= written && System.currentTimeMillis() < deadline) {
            assertThat(synthesize("Cache recovery check " + tag + ", round " + n++ + ".")).isNotEmpty();
            Thread.sleep(500);
        }
        assertThat(sum("tts_worker_cache_written_bytes_total")).as("stores after the cache Redis came back")
                .isGreaterThan(written);
        try (redis.clients.jedis.UnifiedJedis cache = dev.ttscluster.common.state.JobStore.client(servers.cache().url(), 2000)) {
            assertThat(cache.dbSize()).as("entries in the restarted cache Redis").isPositive();
        }
    }

    @Test
    @Order(2)
    void aSentenceRepeatedWithinAJobIsSynthesizedOncePerWorker() throws Exception {
        String sentence = "Please stay on the line, caller " + (System.nanoTime() % 100_000) + ".";
        String text = String.join(" ", java.util.Collections.nCopies(6, sentence));

        JsonNode job = finished(text);

        assertThat(job.get("segments").asInt()).isEqualTo(6);
        // a job's segments spread over the workers' partitions; each worker makes the sentence at most once
        assertThat(job.get("segments_cached").asInt()).as(job.toString())
                .isGreaterThanOrEqualTo(6 - cluster.workers().size());
    }
}
