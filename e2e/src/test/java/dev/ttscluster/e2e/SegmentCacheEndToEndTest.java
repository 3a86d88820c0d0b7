package dev.ttscluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttscluster.client.api.JobRequest;
import dev.ttscluster.client.api.JobView;
import dev.ttscluster.client.api.TtsClient;
import dev.ttscluster.deploy.local.ChildJvm;
import dev.ttscluster.deploy.local.LocalCluster;
import dev.ttscluster.deploy.local.LocalServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The shared segment cache on the real cluster: its own Redis, shared by every worker, optional. The
 * outage test runs last: a worker's breaker stays open until traffic lets it probe again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@OnSharedCluster
class SegmentCacheEndToEndTest {
    final LocalCluster cluster = SharedCluster.get();
    final TtsClient api = SharedCluster.client();

    /** A worker's metric (0 when the worker does not report it). */
    double metric(ChildJvm worker, String name) throws Exception {
        return Prometheus.worker(cluster, worker, name);
    }

    private byte[] synthesize(String text) {
        return api.jobAudio(finished(text).id());
    }

    /** Submits {@code text} and returns the job's view once it succeeded. */
    private JobView finished(String text) {
        JobView done = api.awaitJob(api.submitJob(JobRequest.of(text)).view().id(), Duration.ofSeconds(120));
        assertThat(done.status()).as(done.toString()).isEqualTo("succeeded");
        return done;
    }

    /** Waits (up to 60 s) until no worker stores anything for a second: the cluster has nothing else to do. */
    private void quiesce() throws Exception {
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

    private double sum(String metric) throws Exception {
        return Prometheus.workers(cluster, metric);
    }

    @Test
    @Order(1)
    void aSecondIdenticalJobIsServedFromTheCacheByAnotherWorkerWithIdenticalAudio() throws Exception {
        // one segment, so exactly one worker synthesizes it the first time
        String text =
                "Welcome back to the cache test number " + (System.nanoTime() % 100_000) + ", your table is ready.";
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

            JobView job = finished(text);
            byte[] second = api.jobAudio(job.id());

            assertThat(second).as("byte-identical audio").isEqualTo(first);
            assertThat(job.segmentsCached()).as("the job view counts it").isEqualTo(1);
            assertThat(metric(others.get(0), "tts_worker_cache_hits_total") - hitsBefore)
                    .as(
                            "the segment came from the cache (misses %s, skipped %s)",
                            metric(others.get(0), "tts_worker_cache_misses_total"),
                            metric(others.get(0), "tts_worker_cache_skipped_total"))
                    .isGreaterThanOrEqualTo(1);
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
                assertThat(synthesize("Cache outage check " + tag + ", item " + i + "."))
                        .isNotEmpty();
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
            assertThat(synthesize("Cache recovery check " + tag + ", round " + n++ + "."))
                    .isNotEmpty();
            Thread.sleep(500);
        }
        assertThat(sum("tts_worker_cache_written_bytes_total"))
                .as("stores after the cache Redis came back")
                .isGreaterThan(written);
        try (redis.clients.jedis.UnifiedJedis cache =
                dev.ttscluster.state.JobStore.client(servers.cache().url(), 2000)) {
            assertThat(cache.dbSize())
                    .as("entries in the restarted cache Redis")
                    .isPositive();
        }
    }

    @Test
    @Order(2)
    void aSentenceRepeatedWithinAJobIsSynthesizedOncePerWorker() throws Exception {
        String sentence = "Please stay on the line, caller " + (System.nanoTime() % 100_000) + ".";
        String text = String.join(" ", java.util.Collections.nCopies(6, sentence));

        JobView job = finished(text);

        assertThat(job.segments()).isEqualTo(6);
        // a job's segments spread over the workers' partitions; each worker makes the sentence at most once
        assertThat(job.segmentsCached())
                .as(job.toString())
                .isGreaterThanOrEqualTo(6 - cluster.workers().size());
    }
}
